"""Role grants at a scope (trust, school, group), with validity dates. Ending a grant keeps it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select, update

from canopy_kit.db.rows import row_in_trust
from canopy_kit.db.uow import UnitOfWork
from identity.commands.common import audit, grant_payload, new_id, reload
from identity.domain import roles as rules
from identity.tables import people, role_grants, school_groups, schools

SCOPE_TABLES = {"school": (schools, "school"), "group": (school_groups, "group")}


def grant_role(uow: UnitOfWork, *, trust_id: str, person_id: str, role: str, scope_type: str, scope_id: str,
               valid_from: date, valid_to: date | None = None, actor_id: str | None = None) -> str:
    row_in_trust(uow.session, people, person_id, trust_id, "person")
    rules.check_scope(trust_id=trust_id, role=role, scope_type=scope_type, scope_id=scope_id)
    if scope_type in SCOPE_TABLES:  # a school or group of the trust's own
        table, what = SCOPE_TABLES[scope_type]
        row_in_trust(uow.session, table, scope_id, trust_id, what)
    already_held = uow.session.execute(select(role_grants.c.id).where(
        role_grants.c.person_id == person_id, role_grants.c.role == role, role_grants.c.scope_id == scope_id,
        or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to >= valid_from),
        *([role_grants.c.valid_from <= valid_to] if valid_to else []))).first() is not None
    rules.check_new_grant(valid_from=valid_from, valid_to=valid_to, already_held=already_held)
    grant_id = new_id()
    uow.session.execute(role_grants.insert().values(
        id=grant_id, trust_id=trust_id, person_id=person_id, role=role, scope_type=scope_type, scope_id=scope_id,
        valid_from=valid_from, valid_to=valid_to))
    uow.publish("identity.role.granted", grant_payload(reload(uow, role_grants, grant_id)), trust_id=trust_id,
                school_id=scope_id if scope_type == "school" else None, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="role.granted", actor_id=actor_id, subject_id=person_id, role=role,
          scope_type=scope_type, scope_id=scope_id)
    return grant_id


def end_grant(uow: UnitOfWork, *, trust_id: str, grant_id: str, valid_to: date, actor_id: str | None = None) -> None:
    row = row_in_trust(uow.session, role_grants, grant_id, trust_id, "role grant", lock=True)
    rules.check_end(valid_from=row.valid_from, valid_to=row.valid_to, ends_on=valid_to)
    uow.session.execute(update(role_grants).where(role_grants.c.id == grant_id).values(valid_to=valid_to))
    uow.publish("identity.role.revoked", grant_payload(reload(uow, role_grants, grant_id)), trust_id=trust_id,
                school_id=row.scope_id if row.scope_type == "school" else None, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="role.revoked", actor_id=actor_id, subject_id=row.person_id,
          role=row.role, scope_type=row.scope_type, scope_id=row.scope_id, valid_to=valid_to.isoformat())

"""Role grants at a scope (trust, school, group), with validity dates. Ending a grant keeps it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select, update

from canopy_contracts.events.identity import ROLES, SCOPE_TYPES
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import field_error
from identity.db import people, role_grants, school_groups, schools
from identity.handlers.common import audit, get_row, grant_payload, new_id, reload

TRUST_ONLY_ROLES = frozenset({"trust_admin", "trust_leader"})


def _check_scope(uow: UnitOfWork, trust_id: str, role: str, scope_type: str, scope_id: str) -> None:
    if role not in ROLES:
        raise field_error("role", f"must be one of: {', '.join(ROLES)}")
    if scope_type not in SCOPE_TYPES:
        raise field_error("scope_type", f"must be one of: {', '.join(SCOPE_TYPES)}")
    if role in TRUST_ONLY_ROLES and scope_type != "trust":
        raise field_error("scope_type", f"{role} is granted at trust scope only")
    if scope_type == "trust" and scope_id != trust_id:
        raise field_error("scope_id", "must be the trust's id for a trust-scope grant")
    if scope_type == "school":
        get_row(uow, schools, scope_id, trust_id, "school")
    if scope_type == "group":
        get_row(uow, school_groups, scope_id, trust_id, "group")


def grant_role(uow: UnitOfWork, *, trust_id: str, person_id: str, role: str, scope_type: str, scope_id: str,
               valid_from: date, valid_to: date | None = None, actor_id: str | None = None) -> str:
    get_row(uow, people, person_id, trust_id, "person")
    _check_scope(uow, trust_id, role, scope_type, scope_id)
    if valid_to is not None and valid_to < valid_from:
        raise field_error("valid_to", "must not be before valid_from")
    overlapping = uow.session.execute(select(role_grants.c.id).where(
        role_grants.c.person_id == person_id, role_grants.c.role == role, role_grants.c.scope_id == scope_id,
        or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to >= valid_from),
        *([role_grants.c.valid_from <= valid_to] if valid_to else []))).first()
    if overlapping:
        raise field_error("role", "the person already holds this role at this scope for part of that period", 409)
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
    row = get_row(uow, role_grants, grant_id, trust_id, "role grant", lock=True)
    if valid_to < row.valid_from:
        raise field_error("valid_to", "must not be before the grant started")
    if row.valid_to is not None and row.valid_to <= valid_to:
        raise field_error("valid_to", f"the grant already ended on {row.valid_to.isoformat()}", 409)
    uow.session.execute(update(role_grants).where(role_grants.c.id == grant_id).values(valid_to=valid_to))
    uow.publish("identity.role.revoked", grant_payload(reload(uow, role_grants, grant_id)), trust_id=trust_id,
                school_id=row.scope_id if row.scope_type == "school" else None, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="role.revoked", actor_id=actor_id, subject_id=row.person_id,
          role=row.role, scope_type=row.scope_type, scope_id=row.scope_id, valid_to=valid_to.isoformat())

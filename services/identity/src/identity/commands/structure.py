"""The trust's structure: the trust, its schools and groups of schools."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select, update

from canopy_kit.db.rows import row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict, Invalid
from identity.commands.common import audit, new_id, now, reload, school_payload, taken
from identity.commands.people import register_person
from identity.commands.roles import grant_role
from identity.domain.structure import school_urn, trust_slug
from identity.tables import group_schools, school_groups, schools, trusts

SCHOOL_NAME_TAKEN = "the trust already has a school with this name"
GROUP_NAME_TAKEN = "the trust already has a group with this name"


def create_trust(uow: UnitOfWork, *, name: str, slug: str) -> str:
    slug = trust_slug(slug)
    if uow.session.execute(select(trusts.c.id).where(trusts.c.slug == slug)).first():
        raise Conflict.on("slug", "a trust with this slug already exists")
    trust_id = new_id()
    uow.session.execute(trusts.insert().values(id=trust_id, name=name.strip(), slug=slug, created_at=now()))
    uow.publish("identity.trust.created", {"trust_id": trust_id, "name": name.strip(), "slug": slug},
                trust_id=trust_id)
    return trust_id


def create_trust_with_admin(uow: UnitOfWork, *, name: str, slug: str, admin_given_name: str,
                            admin_family_name: str, admin_email: str, admin_password: str) -> tuple[str, str]:
    """A new tenant and the trust admin who sets up the rest."""
    trust_id = create_trust(uow, name=name, slug=slug)
    admin_id = register_person(uow, trust_id=trust_id, given_name=admin_given_name,
                               family_name=admin_family_name, email=admin_email, password=admin_password)
    grant_role(uow, trust_id=trust_id, person_id=admin_id, role="trust_admin", scope_type="trust",
               scope_id=trust_id, valid_from=date.today())
    return trust_id, admin_id


def _check_urn(uow: UnitOfWork, trust_id: str, urn: str | None, except_id: str | None = None) -> None:
    """A URN names one school of the trust: the importer finds schools by it (the unique index
    ``uq_schools_trust_urn`` holds when two requests race; this names the field)."""
    if urn is not None and taken(uow, schools, trust_id, "urn", urn, except_id):
        raise Conflict.on("urn", f"another school of the trust has URN {urn}")


def add_school(uow: UnitOfWork, *, trust_id: str, name: str, phase: str, urn: str | None = None,
               actor_id: str | None = None) -> str:
    name, urn = name.strip(), school_urn(urn)
    if taken(uow, schools, trust_id, "name", name):
        raise Conflict.on("name", SCHOOL_NAME_TAKEN)
    _check_urn(uow, trust_id, urn)
    school_id = new_id()
    uow.session.execute(schools.insert().values(id=school_id, trust_id=trust_id, name=name, phase=phase, urn=urn,
                                                status="open", created_at=now()))
    uow.publish("identity.school.added", school_payload(reload(uow, schools, school_id)), trust_id=trust_id,
                school_id=school_id, actor_id=actor_id)
    return school_id


def update_school(uow: UnitOfWork, *, trust_id: str, school_id: str, changes: dict,
                  actor_id: str | None = None) -> None:
    """Rename, re-phase or close a school. Its id stays, so everything recorded there keeps it."""
    row_in_trust(uow.session, schools, school_id, trust_id, "school", lock=True)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if taken(uow, schools, trust_id, "name", changes["name"], except_id=school_id):
            raise Conflict.on("name", SCHOOL_NAME_TAKEN)
    if "urn" in changes:
        changes["urn"] = school_urn(changes["urn"])
        _check_urn(uow, trust_id, changes["urn"], except_id=school_id)
    if not changes:
        return
    uow.session.execute(update(schools).where(schools.c.id == school_id).values(**changes))
    uow.publish("identity.school.updated", school_payload(reload(uow, schools, school_id)), trust_id=trust_id,
                school_id=school_id, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="school.updated", actor_id=actor_id, subject_id=school_id, **changes)


def _set_group_schools(uow: UnitOfWork, trust_id: str, group_id: str, school_ids: list[str]) -> list[str]:
    wanted = sorted(set(school_ids))
    known = set(uow.session.execute(
        select(schools.c.id).where(schools.c.trust_id == trust_id, schools.c.id.in_(wanted))).scalars())
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise Invalid.on("school_ids", f"not schools of this trust: {', '.join(unknown)}")
    uow.session.execute(delete(group_schools).where(group_schools.c.group_id == group_id))
    if wanted:
        uow.session.execute(group_schools.insert(), [{"group_id": group_id, "school_id": s} for s in wanted])
    return wanted


def create_group(uow: UnitOfWork, *, trust_id: str, name: str, school_ids: list[str],
                 actor_id: str | None = None) -> str:
    name = name.strip()
    if taken(uow, school_groups, trust_id, "name", name):
        raise Conflict.on("name", GROUP_NAME_TAKEN)
    group_id = new_id()
    uow.session.execute(school_groups.insert().values(id=group_id, trust_id=trust_id, name=name))
    members = _set_group_schools(uow, trust_id, group_id, school_ids)
    uow.publish("identity.group.created", {"group_id": group_id, "name": name, "school_ids": members},
                trust_id=trust_id, actor_id=actor_id)
    return group_id


def update_group(uow: UnitOfWork, *, trust_id: str, group_id: str, name: str, school_ids: list[str],
                 actor_id: str | None = None) -> None:
    row_in_trust(uow.session, school_groups, group_id, trust_id, "group", lock=True)
    name = name.strip()
    if taken(uow, school_groups, trust_id, "name", name, except_id=group_id):
        raise Conflict.on("name", GROUP_NAME_TAKEN)
    uow.session.execute(update(school_groups).where(school_groups.c.id == group_id).values(name=name))
    members = _set_group_schools(uow, trust_id, group_id, school_ids)
    uow.publish("identity.group.updated", {"group_id": group_id, "name": name, "school_ids": members},
                trust_id=trust_id, actor_id=actor_id)

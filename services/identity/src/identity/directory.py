"""The permission checks' view of identity's own tables (other services use the projection)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from canopy_kit.auth.flask import current_principal
from canopy_kit.auth.permissions import ListRule, Period, Permissions
from canopy_kit.web.ids import AnyOf, IdKind
from canopy_kit.web.request_uow import current_uow
from identity.db import employments, group_schools, line_managers, people, school_groups, schools


class IdentityDirectory:
    def __init__(self, session: Session):
        self.session = session

    def trust_of(self, person_id: str) -> str | None:
        return self.session.execute(select(people.c.trust_id).where(people.c.id == person_id)).scalar()

    def employment_periods(self, person_id: str) -> list[Period]:
        rows = self.session.execute(
            select(employments.c.school_id, employments.c.starts_on, employments.c.ends_on)
            .where(employments.c.person_id == person_id).order_by(employments.c.starts_on)).all()
        return [Period(r.school_id, r.starts_on, r.ends_on) for r in rows]

    def managed_at(self, manager_id: str, person_id: str, on: date) -> set[str]:
        return set(self.session.execute(select(line_managers.c.school_id).where(
            line_managers.c.manager_id == manager_id, line_managers.c.person_id == person_id,
            and_(line_managers.c.starts_on <= on,
                 or_(line_managers.c.ends_on.is_(None), line_managers.c.ends_on >= on)))).scalars())

    def group_schools(self, group_id: str) -> set[str]:
        return set(self.session.execute(
            select(group_schools.c.school_id).where(group_schools.c.group_id == group_id)).scalars())

    def account_disabled(self, person_id: str) -> bool:
        return self.session.execute(select(people.c.status).where(people.c.id == person_id)).scalar() == "disabled"


def permissions() -> Permissions:
    """The caller's permissions in this request."""
    return Permissions(current_principal(), IdentityDirectory(current_uow().session))


def id_kinds() -> dict:
    """Ids in identity's requests are looked up in its own tables, not in a projection."""
    person, school = IdKind(people, "person"), IdKind(schools, "school")
    group = IdKind(school_groups, "group of schools")
    return {"person": person, "school": school, "group": group, "employment": IdKind(employments, "employment"),
            "scope": AnyOf("school, group or trust", (school, group), trust_itself=True),
            "audit_subject": AnyOf("person or school", (person, school))}


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists"). The
# directory and the schools are listed exactly as ``GET /v1/people/{id}`` and
# ``GET /v1/schools/{id}`` let the caller open each person and school.
LISTS = {
    "/v1/audit": ListRule("the trust's whole audit log, for trust admins (``audit.read``)",
                          allows=lambda perms, row: perms.schools_for("audit.read") is None),
    "/v1/me/appraisees": ListRule("the people the caller line-manages today", about=lambda perms, row: bool(
        perms.directory.managed_at(perms.principal.person_id, row["id"], perms.today))),
}

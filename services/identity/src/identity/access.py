"""Identity's access policy: who may read or change the trust's structure, its people and roles.

The platform's rules (``staff.read``, ``staff.manage``, ... in ``canopy_kit.auth.permissions``)
decide most things through ``Permissions``; this module adds identity's own (only a trust admin
changes the structure, reads the audit log, imports staff, enables an account; who grants which
role) and gives the checks their facts: ``IdentityDirectory`` answers them from identity's own
tables (every other service answers from its projection of identity's events). It lives here, not
beside the reads of ``queries``, because the checks are all it serves (the spec names it as
``directory=``).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import ListRule, Period, Permissions
from canopy_kit.db.rows import running_on
from canopy_kit.errors import Forbidden, NotFound
from identity.domain.roles import granted_by_the_school
from identity.tables import employments, group_schools, line_managers, people


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
            running_on(line_managers.c.starts_on, line_managers.c.ends_on, on))).scalars())

    def group_schools(self, group_id: str) -> set[str]:
        return set(self.session.execute(
            select(group_schools.c.school_id).where(group_schools.c.group_id == group_id)).scalars())

    def account_disabled(self, person_id: str) -> bool:
        return self.session.execute(select(people.c.status).where(people.c.id == person_id)).scalar() == "disabled"


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists"). The
# directory and the schools are listed exactly as ``GET /v1/people/{id}`` and
# ``GET /v1/schools/{id}`` let the caller open each person and school.
LISTS = {
    "/v1/audit": ListRule("the trust's whole audit log, for trust admins (``audit.read``)",
                          allows=lambda perms, row: perms.schools_for("audit.read") is None),
    "/v1/me/appraisees": ListRule("the people the caller line-manages today", about=lambda perms, row: bool(
        perms.directory.managed_at(perms.principal.person_id, row["id"], perms.today))),
}


def _require_trust_wide(perms: Permissions, action: str, refusal: str) -> None:
    """Only those who may do ``action`` everywhere in the trust (trust admins) may go on."""
    if perms.schools_for(action) is not None:
        raise Forbidden(refusal)


def require_structure_admin(perms: Permissions) -> None:
    _require_trust_wide(perms, "structure.manage", "only a trust admin may change the trust's structure")


def require_audit_reader(perms: Permissions) -> None:
    _require_trust_wide(perms, "audit.read", "only a trust admin may read the audit log")


def require_staff_importer(perms: Permissions) -> None:
    _require_trust_wide(perms, "staff.import", "only a trust admin may import staff")


def require_may_add_person(perms: Permissions, school_id: str | None) -> None:
    """Someone with their first employment at ``school_id``, or (None) with none yet."""
    if school_id is None:
        _require_trust_wide(perms, "staff.manage",
                            "only a trust admin may add someone without an employment at your school")
    else:
        perms.require_at_school("staff.manage", school_id)


def require_may_employ(perms: Permissions, person_id: str, school_id: str) -> None:
    """Start an employment of ``person_id`` at ``school_id``: a person of another trust is not found."""
    perms.require_at_school("staff.manage", school_id)
    if perms.directory.trust_of(person_id) != perms.principal.trust_id:
        raise NotFound("no such person")


def require_may_record_leaver(perms: Permissions, person_id: str, last_day: date) -> None:
    """Staff managers of every school the person works at on their last day; a trust admin for
    someone who works at none."""
    perms.require_about("staff.read", person_id)
    schools = {p.school_id for p in perms.directory.employment_periods(person_id) if p.contains(last_day)}
    if not schools:
        _require_trust_wide(perms, "staff.manage", "only a trust admin may record this leaver")
    for school_id in schools:
        perms.require_at_school("staff.manage", school_id)


def require_may_enable(perms: Permissions, person_id: str) -> None:
    perms.require_about("staff.read", person_id)
    _require_trust_wide(perms, "staff.manage", "only a trust admin may enable an account")


def require_may_grant(perms: Permissions, role: str, scope_type: str, scope_id: str) -> None:
    """Grant (or end a grant of) ``role`` at a scope: a school's role managers for the roles a
    school hands out there; trust admins for the rest."""
    if granted_by_the_school(role, scope_type):
        perms.require_at_school("roles.manage", scope_id)
    else:
        _require_trust_wide(perms, "roles.manage", f"only a trust admin may grant {role} at {scope_type} scope")

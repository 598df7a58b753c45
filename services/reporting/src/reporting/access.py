"""Which schools' figures the caller may read: trust leaders and trust admins every school and the
trust as a whole (``reports.trust``); a school's headteacher, senior leaders and CPD lead their own
school (``reports.school``). Filters narrow that further, never widen it; tenancy is absolute."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from canopy_kit.auth.flask import current_principal
from canopy_kit.auth.permissions import Permissions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.projections.directory_tables import dir_schools
from canopy_kit.web.errors import ApiError, field_error
from canopy_kit.web.request_uow import current_uow
from reporting.rollups import ALL_SCHOOLS, NO_SCHOOL


@dataclass(frozen=True)
class School:
    school_id: str
    name: str
    phase: str | None


TRUST_ROW = School(ALL_SCHOOLS, "All schools", None)
NO_SCHOOL_ROW = School(NO_SCHOOL, "No school (trust-wide staff)", None)


@dataclass(frozen=True)
class Scope:
    """The cells a report shows: these schools, and the trust-wide row if ``whole_trust``."""

    trust_id: str
    schools: dict[str, School]
    whole_trust: bool
    trust_schools: dict[str, School] | None = None  # every school of the trust, whatever was chosen

    def population(self) -> "Scope":
        """Every cell of the trust: what suppression is decided on, whoever asks."""
        schools = self.trust_schools if self.trust_schools is not None else self.schools
        return Scope(self.trust_id, {**schools, NO_SCHOOL: NO_SCHOOL_ROW}, whole_trust=True)

    def cell_schools(self) -> list[str]:
        return [*self.schools, *([ALL_SCHOOLS] if self.whole_trust else [])]

    def label(self, school_id: str) -> School:
        if school_id == ALL_SCHOOLS:
            return TRUST_ROW
        return self.schools.get(school_id, NO_SCHOOL_ROW)


def report_scope(school_id: str | None, phase: str | None) -> Scope:
    principal = current_principal()
    session = current_uow().session
    permissions = Permissions(principal, ProjectedDirectory.of(session))
    trust_wide = permissions.schools_for("reports.trust") is None
    visible = None if trust_wide else permissions.schools_for("reports.school")
    if visible is not None and not visible:
        raise ApiError(403, "reports are for trust leaders and for school leaders and CPD leads")
    query = select(dir_schools.c.school_id, dir_schools.c.name, dir_schools.c.phase).where(
        dir_schools.c.trust_id == principal.trust_id)
    schools = {row.school_id: School(*row) for row in session.execute(query)}
    if school_id is not None and school_id not in schools:
        raise field_error("school_id", "no such school in your trust", 404)
    if school_id is not None and visible is not None and school_id not in visible:
        raise field_error("school_id", "you may read the reports of your own school only", 403)
    chosen = {sid: s for sid, s in schools.items()
              if (visible is None or sid in visible) and school_id in (None, sid) and phase in (None, s.phase)}
    unfiltered = school_id is None and phase is None
    if trust_wide and unfiltered:
        chosen[NO_SCHOOL] = NO_SCHOOL_ROW
    return Scope(principal.trust_id, chosen, whole_trust=trust_wide and unfiltered, trust_schools=schools)

"""Who may observe whom, read which record, and manage which forms.

Reading a person's records is the platform's ``observation.read`` rule (``docs/permissions.md``),
with its time windows: a school leader sees a reportable record only if it was made at their school
while the person worked there. Three rules are observation's own (not in the shared matrix):

- ``may_observe``: the observer holds coach, line manager, senior leader or headteacher at a
  school where the observee works today (the record is made at that school), or is the observee's
  line manager there today, or is a trust leader; never oneself.
- developmental records: the observer, the observee and whom the observee shares with; nobody else,
  whatever their role, and never in a report.
- managing forms and frameworks: trust admins for the trust's own; headteachers, senior leaders
  and school admins for a form owned by their school.
"""
from __future__ import annotations

from datetime import date

from canopy_kit.auth.flask import current_principal
from canopy_kit.auth.permissions import ListRule, Permissions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.web.errors import ApiError, field_error
from canopy_kit.web.request_uow import current_uow

OBSERVER_ROLES = frozenset({"coach", "line_manager", "senior_leader", "headteacher"})
FORM_MANAGERS_AT_SCHOOL = frozenset({"headteacher", "senior_leader", "school_admin"})
COACHING_VIEW_AT_SCHOOL = frozenset({"headteacher", "senior_leader"})
TRUST_OBSERVERS = frozenset({"trust_leader"})


class Access:
    def __init__(self, permissions: Permissions, directory: ProjectedDirectory):
        self.perms = permissions
        self.directory = directory
        self.principal = permissions.principal
        self.today: date = permissions.today

    @property
    def me(self) -> str:
        return self.principal.person_id

    def observable_schools(self, observee_id: str) -> set[str]:
        """Schools where the caller may observe this person today."""
        works = self.directory.works_at(observee_id, self.today)
        if self.principal.has_role(TRUST_OBSERVERS):
            return works
        managed = self.directory.managed_at(self.me, observee_id, self.today)
        return works & (self.principal.schools_with(OBSERVER_ROLES) | managed)

    def require_may_observe(self, observee_id: str, school_id: str | None) -> str:
        """The school the record is made at, or a precise 4xx (the observee is the caller's trust's:
        ``RecordCreateSchema`` looked them up)."""
        if observee_id == self.me:
            raise field_error("observee_id", "you cannot observe yourself")
        schools = self.observable_schools(observee_id)
        if school_id is not None:
            if school_id not in schools:
                raise ApiError(403, "you may not observe this person at that school",
                               errors={"school_id": ["not a school where you may observe this person today"]})
            return school_id
        if not schools:
            raise ApiError(403, "you may not observe this person")
        if len(schools) > 1:
            raise field_error("school_id", "the person works at several schools: say which")
        return next(iter(schools))

    def may_read(self, record, shared_with: set[str]) -> bool:
        if record.observer_id == self.me:
            return True
        if record.status == "draft":
            return False
        if record.observee_id == self.me or self.me in shared_with:
            return True
        if record.privacy != "reportable":
            return False
        windows = self.perms.record_windows("observation.read", record.observee_id)
        return windows is None or any(p.school_id == record.school_id and p.contains(record.observed_on)
                                      for p in windows)

    def require_form_manager(self, owner_school_id: str | None) -> None:
        if self.principal.has_role("trust_admin"):
            return
        if owner_school_id is None or not self.principal.has_role(FORM_MANAGERS_AT_SCHOOL, school_id=owner_school_id):
            raise ApiError(403, "you may not manage this form" if owner_school_id else
                           "only a trust admin may manage the trust's own forms and frameworks")

    def coaching_pair_schools(self) -> set[str] | None:
        """Schools whose recorded coaching pairs the caller sees: None for trust leaders (all of them)."""
        if self.perms.schools_for("reports.trust") is None:
            return None
        return self.principal.schools_with(COACHING_VIEW_AT_SCHOOL)

    def coaching_scope(self, school_id: str | None) -> None:
        """The coaching view: a school's leaders for their school; trust leaders for any or all."""
        if self.perms.schools_for("reports.trust") is None:
            return
        if school_id is None or not self.principal.has_role(COACHING_VIEW_AT_SCHOOL, school_id=school_id):
            raise ApiError(403, "the coaching view is for trust leaders, and for a school's leaders at their school")


def _sees_pair(caller: Access, pair) -> bool:
    schools = caller.coaching_pair_schools()
    return schools is None or pair["school_id"] in schools


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists"). Records,
# forms and frameworks are listed exactly as ``GET .../{id}`` lets the caller open them.
LISTS = {
    "/v1/coaching/pairs": ListRule("a school's recorded pairs for its leaders; all of them for trust leaders",
                                   allows=_sees_pair),
}


def access() -> Access:
    """The caller's access in this request, decided from the token and the directory projection."""
    directory = ProjectedDirectory.of(current_uow().session)  # the one authentication looked the caller up in
    return Access(Permissions(current_principal(), directory), directory)

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

from canopy_kit.auth.permissions import SCHOOL_LEADERS, ListRule, Permissions
from canopy_kit.errors import Forbidden
from canopy_kit.projections.directory import ProjectedDirectory
from observation.domain.observing import may_read, observation_school

OBSERVER_ROLES = frozenset({"coach", "line_manager", "senior_leader", "headteacher"})
FORM_MANAGERS_AT_SCHOOL = frozenset({"headteacher", "senior_leader", "school_admin"})
COACHING_VIEW_AT_SCHOOL = SCHOOL_LEADERS  # the leaders of a school see its coaching pairs
TRUST_OBSERVERS = frozenset({"trust_leader"})


class Access:
    """One caller's access, from their ``Permissions`` (the API's ``request_permissions()``) and
    the directory those were decided over: no request needed, so tests build it directly."""

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
        """The school the record is made at, or why not (the observee is the caller's trust's:
        ``RecordCreateSchema`` looked them up)."""
        observable = set() if observee_id == self.me else self.observable_schools(observee_id)
        return observation_school(self.me, observee_id, observable, school_id)

    def may_read(self, record, shared_with: set[str]) -> bool:
        return may_read(self.me, record, shared_with,
                        lambda: self.perms.record_windows("observation.read", record.observee_id))

    def require_form_manager(self, owner_school_id: str | None) -> None:
        if self.principal.has_role("trust_admin"):
            return
        if owner_school_id is None or not self.principal.has_role(FORM_MANAGERS_AT_SCHOOL, school_id=owner_school_id):
            raise Forbidden("you may not manage this form" if owner_school_id else
                            "only a trust admin may manage the trust's own forms and frameworks")

    def coaching_pair_schools(self) -> set[str] | None:
        """Schools whose recorded coaching pairs the caller sees: None for trust leaders (all of them)."""
        if self.perms.schools_for("reports.trust") is None:
            return None
        return self.principal.schools_with(COACHING_VIEW_AT_SCHOOL)

    def require_coaching_pairs(self) -> set[str] | None:
        """``coaching_pair_schools``, for a caller who sees some pairs; anyone else is refused."""
        schools = self.coaching_pair_schools()
        if schools is not None and not schools:
            raise Forbidden("coaching pairs are for school leaders and trust leaders")
        return schools

    def coaching_scope(self, school_id: str | None) -> None:
        """The coaching view: a school's leaders for their school; trust leaders for any or all."""
        if self.perms.schools_for("reports.trust") is None:
            return
        if school_id is None or not self.principal.has_role(COACHING_VIEW_AT_SCHOOL, school_id=school_id):
            raise Forbidden("the coaching view is for trust leaders, and for a school's leaders at their school")


def _sees_pair(caller: Access, pair) -> bool:
    schools = caller.coaching_pair_schools()
    return schools is None or pair["school_id"] in schools


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists"). Records,
# forms and frameworks are listed exactly as ``GET .../{id}`` lets the caller open them.
LISTS = {
    "/v1/coaching/pairs": ListRule("a school's recorded pairs for its leaders; all of them for trust leaders",
                                   allows=_sees_pair),
}

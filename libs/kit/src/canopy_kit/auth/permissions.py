"""The permission matrix, written down once and used by every service.

A rule says who may do an action about a person (or at a school): the person themselves, holders
of trust-wide roles, holders of school roles covering a school where the person works, and their
current line manager. Services supply a ``Directory`` (identity from its own tables, everyone
else from the directory projection built from identity's events); the rules and their checks are
the same everywhere. ``docs/permissions.md`` is the readable version; a test keeps them in step.

Tenancy comes first: a person of another trust does not exist for the caller (404, not 403).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping, Protocol

from canopy_kit.auth.principal import Principal
from canopy_kit.clock import runs_on
from canopy_kit.errors import Forbidden, NotFound

TRUST_ADMIN = frozenset({"trust_admin"})
TRUST_WIDE = frozenset({"trust_admin", "trust_leader"})
SCHOOL_LEADERS = frozenset({"headteacher", "senior_leader"})
SCHOOL_ADMINS = frozenset({"headteacher", "school_admin"})


@dataclass(frozen=True)
class Period:
    school_id: str
    starts_on: date
    ends_on: date | None

    def contains(self, day: date) -> bool:
        return runs_on(self.starts_on, self.ends_on, day)


class Directory(Protocol):
    """What the checks need to know about people, as of a date, inside one trust."""

    def trust_of(self, person_id: str) -> str | None: ...

    def employment_periods(self, person_id: str) -> list[Period]: ...

    def managed_at(self, manager_id: str, person_id: str, on: date) -> set[str]:
        """Schools where ``manager_id`` is ``person_id``'s line manager on that day."""
        ...

    def group_schools(self, group_id: str) -> set[str]: ...

    def account_disabled(self, person_id: str) -> bool:
        """The person's account is disabled: their tokens are refused (``canopy_kit.web.auth``)."""
        ...


@dataclass(frozen=True)
class Rule:
    description: str
    self_allowed: bool = False
    trust_roles: frozenset[str] = frozenset()
    school_roles: frozenset[str] = frozenset()
    line_manager: bool = False


MATRIX: dict[str, Rule] = {
    "staff.read": Rule("See a person's directory entry, employments and roles", self_allowed=True,
                       trust_roles=TRUST_WIDE, school_roles=SCHOOL_ADMINS | SCHOOL_LEADERS | {"cpd_lead"},
                       line_manager=True),
    "staff.manage": Rule("Add people, start and end employments, transfers, leavers, invitations",
                         trust_roles=TRUST_ADMIN, school_roles=SCHOOL_ADMINS),
    "roles.manage": Rule("Grant and end school-scope roles (trust-scope roles: trust admins only)",
                         trust_roles=TRUST_ADMIN, school_roles=SCHOOL_ADMINS),
    "line_management.manage": Rule("Assign and end line managers (appraisers)", trust_roles=TRUST_ADMIN,
                                   school_roles=SCHOOL_ADMINS),
    "structure.manage": Rule("Create, rename and close schools; manage groups of schools",
                             trust_roles=TRUST_ADMIN),
    "staff.import": Rule("Import staff from a CSV file", trust_roles=TRUST_ADMIN),
    "audit.read": Rule("Read the security audit log", trust_roles=TRUST_ADMIN),
    "appraisal.read": Rule("Read a person's appraisal records (objectives, reviews, statements)",
                           self_allowed=True, school_roles=frozenset({"headteacher"}), line_manager=True),
    "observation.read": Rule("Read a person's reportable observation records", self_allowed=True,
                             school_roles=SCHOOL_LEADERS, line_manager=True),
    "portfolio.read": Rule("Read a person's CPD portfolio", self_allowed=True,
                           school_roles=frozenset({"headteacher", "cpd_lead"}), line_manager=True),
    "reports.trust": Rule("Read trust-wide aggregate reports", trust_roles=TRUST_WIDE),
    "reports.school": Rule("Read a school's aggregate reports (small groups suppressed)", trust_roles=TRUST_WIDE,
                           school_roles=SCHOOL_LEADERS | {"cpd_lead"}),
}


@dataclass(frozen=True)
class ListRule:
    """What a list endpoint returns, where its items' own GET cannot say: a list shows exactly what
    its caller may open. ``allows(caller, row)`` decides one item (``caller`` is the service's
    access object: ``Permissions``, or one wrapping it); ``None`` means the item's GET decides.
    ``about(caller, row)`` narrows a list to what it is about (one's appraisees, what is due), not
    to what one may see. Each service keeps its lists' rules beside its checks (``LISTS``), and
    ``canopy_kit.testing.visibility`` holds every list of its OpenAPI document to them."""

    description: str
    allows: Callable[[Any, Mapping[str, Any]], bool] | None = None
    about: Callable[[Any, Mapping[str, Any]], bool] | None = None


class Permissions:
    """Checks for one caller, as of one day."""

    def __init__(self, principal: Principal, directory: Directory, today: date | None = None):
        self.principal = principal
        self.directory = directory
        self.today = today or date.today()
        self._trusts: dict[str, str | None] = {}

    def _rule(self, action: str) -> Rule:
        try:
            return MATRIX[action]
        except KeyError:
            raise ValueError(f"no permission rule named {action!r}") from None

    def _covered_schools(self, roles: frozenset[str]) -> set[str]:
        schools: set[str] = set()
        for grant in self.principal.grants:
            if grant.role not in roles:
                continue
            if grant.scope_type == "school":
                schools.add(grant.scope_id)
            elif grant.scope_type == "group":
                schools |= set(grant.schools) or self.directory.group_schools(grant.scope_id)
        return schools

    def _trust_wide(self, rule: Rule) -> bool:
        return any(g.role in rule.trust_roles and g.scope_type == "trust" and g.scope_id == self.principal.trust_id
                   for g in self.principal.grants)

    def in_trust(self, person_id: str) -> bool:
        # Asked several times per request (each check starts with tenancy): remember the answer.
        if person_id not in self._trusts:
            self._trusts[person_id] = self.directory.trust_of(person_id)
        return self._trusts[person_id] == self.principal.trust_id

    def schools_for(self, action: str) -> set[str] | None:
        """Schools whose staff the caller may act on; None means every school of the trust."""
        rule = self._rule(action)
        return None if self._trust_wide(rule) else self._covered_schools(rule.school_roles)

    def at_school(self, action: str, school_id: str) -> bool:
        schools = self.schools_for(action)
        return schools is None or school_id in schools

    def about(self, action: str, person_id: str) -> bool:
        """May the caller do ``action`` about this person today?"""
        if not self.in_trust(person_id):
            return False
        rule = self._rule(action)
        if rule.self_allowed and person_id == self.principal.person_id:
            return True
        if self._trust_wide(rule):
            return True
        covered = self._covered_schools(rule.school_roles)
        if covered and any(p.school_id in covered and p.contains(self.today)
                           for p in self.directory.employment_periods(person_id)):
            return True
        return rule.line_manager and bool(self.directory.managed_at(self.principal.person_id, person_id, self.today))

    def record_windows(self, action: str, person_id: str) -> list[Period] | None:
        """The periods whose records the caller may see: None means all of them (the person, the
        trust-wide roles); a school leader sees only what happened while the person worked at
        their school, even after the person moved on."""
        if not self.in_trust(person_id):
            return []
        rule = self._rule(action)
        if (rule.self_allowed and person_id == self.principal.person_id) or self._trust_wide(rule):
            return None
        covered = self._covered_schools(rule.school_roles)
        if rule.line_manager:
            covered |= self.directory.managed_at(self.principal.person_id, person_id, self.today)
        return [p for p in self.directory.employment_periods(person_id) if p.school_id in covered]

    def require_about(self, action: str, person_id: str) -> None:
        if not self.in_trust(person_id):
            raise NotFound("no such person")
        if not self.about(action, person_id):
            raise Forbidden("you do not have permission to do this")

    def require_at_school(self, action: str, school_id: str) -> None:
        if not self.at_school(action, school_id):
            raise Forbidden("you do not have permission to do this at this school")

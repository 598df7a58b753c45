"""Who may see and change what in a portfolio (the ``portfolio.read`` rule of docs/permissions.md).

The portfolio belongs to the person: only they add to it or change it. Others read it by the
permission matrix, and only the records dated inside the periods the matrix gives them: a school
keeps what happened while the person worked there, and nothing after they moved on.

``PortfolioAccess`` is that policy for one caller, over their ``Permissions`` (the API builds it
from ``request_permissions()``); it needs no request of its own.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Mapping

from canopy_kit.auth.permissions import ListRule, Period, Permissions
from canopy_kit.errors import Forbidden, NotFound
from portfolio.domain.requests import DECIDING_ROLES, RoleAt

PROGRAMME_RUNNERS = frozenset({"trust_admin", "trust_leader", "cpd_lead"})  # at trust scope


class PortfolioAccess:
    def __init__(self, permissions: Permissions):
        self.permissions = permissions
        self.principal = permissions.principal

    @property
    def trust_id(self) -> str:
        return self.principal.trust_id

    @property
    def person_id(self) -> str:
        return self.principal.person_id

    @property
    def today(self) -> date:
        return self.permissions.today

    def require_owner(self, person_id: str) -> None:
        """Only the person adds to or changes their portfolio."""
        if not self.permissions.in_trust(person_id):
            raise NotFound("no such person")
        if self.person_id != person_id:
            raise Forbidden("only the person can change their own portfolio")

    def record_windows(self, person_id: str) -> list[Period] | None:
        """The periods whose records of the person the caller may read (None: all of them), or a
        refusal when there are none."""
        if not self.permissions.in_trust(person_id):
            raise NotFound("no such person")
        windows = self.permissions.record_windows("portfolio.read", person_id)
        if windows is not None and not windows:
            raise Forbidden("you may not see this person's portfolio")
        return windows

    def may_read_record(self, person_id: str, on: date) -> bool:
        if not self.permissions.in_trust(person_id):
            return False
        windows = self.permissions.record_windows("portfolio.read", person_id)
        return windows is None or any(p.contains(on) for p in windows)

    def require_record(self, person_id: str, on: date, what: str) -> None:
        if not self.may_read_record(person_id, on):
            raise Forbidden(f"you may not see this {what}")

    def roles(self) -> list[RoleAt]:
        """The caller's roles, and where they hold them, as the domain's rules take them."""
        held = []
        for grant in self.principal.grants:
            if grant.scope_type == "trust":
                if grant.scope_id == self.trust_id:
                    held.append(RoleAt(grant.role))
            elif grant.scope_type == "school":
                held.append(RoleAt(grant.role, frozenset({grant.scope_id})))
            else:  # a group: the schools in it when the token was issued
                held.append(RoleAt(grant.role, frozenset(grant.schools)))
        return held

    def runs_programme(self) -> bool:
        return self.principal.has_role(PROGRAMME_RUNNERS)

    def require_programme_runner(self) -> None:
        if not self.runs_programme():
            raise Forbidden("only the trust's CPD team runs the programme")

    def require_may_assign(self, person_ids: Iterable[str]) -> None:
        """The trust's CPD team assigns learning to anyone of the trust (the API's ids are the
        trust's); a school's CPD lead or head to their own school's staff."""
        if self.principal.has_role(PROGRAMME_RUNNERS):
            return
        schools = self.principal.schools_with(DECIDING_ROLES)
        works_at = self.permissions.directory.works_at  # the directory projection's
        missing = [p for p in person_ids if not works_at(p, self.today) & schools]
        if missing:
            raise Forbidden("you may not assign learning to some of these people", errors={"person_ids": missing})

    def request_schools(self) -> set[str]:
        """Schools whose CPD requests the caller sees besides their own: those they decide for."""
        return self.principal.schools_with(DECIDING_ROLES)

    def may_see_request(self, request: Mapping) -> bool:
        """A CPD request is seen by its requester and by those who decide its school's requests."""
        return request["person_id"] == self.person_id or request["school_id"] in self.request_schools()

    def require_request(self, request: Mapping) -> None:
        if not self.may_see_request(request):
            raise Forbidden("only the requester and their school's CPD lead or headteacher see a CPD request")


# What each list shows where its items' own GET cannot say (docs/permissions.md, "Lists"); the
# caller is a ``PortfolioAccess``. Activities, CPD requests and courses are listed exactly as their
# own GETs let the caller open them.
LISTS = {
    "/v1/people/{person_id}/evidence": ListRule(
        "the person's evidence added inside the caller's windows (as its file opens)",
        allows=lambda caller, row: caller.may_read_record(row["person_id"], row["added_on"])),
    "/v1/me/evaluations/due": ListRule(
        "the caller's own evaluations", allows=lambda caller, row: row["person_id"] == caller.person_id,
        about=lambda caller, row: row["submitted_at"] is None and row["due_on"] <= caller.today),
    "/v1/programme/bookings": ListRule(
        "the caller's own bookings", allows=lambda caller, row: row["person_id"] == caller.person_id),
    "/v1/programme/sessions/{session_id}/bookings": ListRule(
        "every booking of the session, for the trust's CPD team (who mark attendance)",
        allows=lambda caller, row: caller.runs_programme()),
}

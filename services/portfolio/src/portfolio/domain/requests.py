"""CPD requests: a person asks before the activity; the school's CPD lead or headteacher approves
or declines it, once; the person may withdraw it while it is pending.

    pending -> approved | declined   (by a decider of its school, never the requester)
    pending -> withdrawn             (by the requester)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from canopy_contracts.events.portfolio import DECISIONS
from canopy_kit.errors import Conflict, Forbidden, Invalid
from portfolio.domain.activities import check_dates, school_of_record

PENDING, WITHDRAWN = "pending", "withdrawn"
STATUSES = (PENDING, *DECISIONS, WITHDRAWN)
DECIDING_ROLES = frozenset({"cpd_lead", "headteacher"})


@dataclass(frozen=True)
class RoleAt:
    """A role someone holds, and where: ``schools`` None means across the whole trust."""
    role: str
    schools: frozenset[str] | None = None

    def covers(self, school_id: str) -> bool:
        return self.schools is None or school_id in self.schools


@dataclass(frozen=True)
class CpdRequest:
    id: str
    person_id: str
    school_id: str
    status: str


def check_dates_asked(starts_on: date, ends_on: date, today: date) -> None:
    """A request is made before the activity: its dates in order, its first day today or later."""
    check_dates(starts_on, ends_on)
    if starts_on < today:
        raise Invalid.on("starts_on", "must not be in the past: a request is made before the activity")


def deciding_school(schools_on_first_day: Iterable[str], wanted: str | None = None) -> str:
    """The school that decides a request: where the person works on its first day. Approval records
    the activity under that school, so a request to any other could never be approved."""
    school_id = school_of_record(schools_on_first_day, wanted)
    if school_id is None:
        raise Invalid.on("starts_on", "you work at no school of the trust on this day")
    return school_id


def decides_for(roles: Iterable[RoleAt], school_id: str) -> bool:
    """A CPD lead or headteacher of the school (or of the whole trust) decides its requests."""
    return any(held.role in DECIDING_ROLES and held.covers(school_id) for held in roles)


def decide(request: CpdRequest, decision: str, *, decider_id: str, decider_roles: Iterable[RoleAt]) -> str:
    """The request's new status, if this decider may give this decision now."""
    if decision not in DECISIONS:
        raise Invalid.on("decision", f"must be one of: {', '.join(DECISIONS)}")
    if not decides_for(decider_roles, request.school_id):
        raise Forbidden("only the school's CPD lead or headteacher decides its CPD requests")
    if request.person_id == decider_id:
        raise Forbidden("you cannot decide your own request", errors={"request_id": [request.id]})
    if request.status != PENDING:
        raise already_decided(request.id)
    return decision


def already_decided(request_id: str) -> Conflict:
    return Conflict("this request was already decided", errors={"request_id": [request_id]})


def withdraw(request: CpdRequest, person_id: str) -> str:
    if request.person_id != person_id:
        raise Forbidden("only the person who asked can withdraw a request")
    if request.status != PENDING:
        raise cannot_withdraw()
    return WITHDRAWN


def cannot_withdraw() -> Conflict:
    return Conflict("only a pending request can be withdrawn")

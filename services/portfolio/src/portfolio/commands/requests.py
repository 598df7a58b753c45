"""CPD requests: a person asks; the school's CPD lead (or head) approves or declines, one or many at
once; an approved request becomes an activity in the portfolio. A request is decided once: two
people deciding it at the same time get one success and one conflict (the rules:
``portfolio.domain.requests``)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable

from sqlalchemy import update

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from portfolio.commands.activities import record_activities
from portfolio.commands.common import schools_on
from portfolio.domain import requests as rules
from portfolio.tables import cpd_requests

REQUEST_FIELDS = ("title", "activity_type", "provider", "starts_on", "ends_on", "hours", "cost", "cover_needed")


def _facts(row) -> rules.CpdRequest:
    return rules.CpdRequest(row.id, row.person_id, row.school_id, row.status)


def approved_activity_fields(request) -> dict:
    """What an approved request records in the portfolio."""
    return {**{k: getattr(request, k) for k in REQUEST_FIELDS}, "school_id": request.school_id,
            "delivery": "external", "linked_standards": [], "linked_objectives": [], "reflection": None}


def submit_request(uow: UnitOfWork, *, trust_id: str, person_id: str, fields: dict,
                   today: date | None = None) -> str:
    """``today``: the day it is asked (the demo asks through a past year); by default, today."""
    rules.check_dates_asked(fields["starts_on"], fields["ends_on"], today or date.today())
    school_id = rules.deciding_school(schools_on(uow.session, person_id, fields["starts_on"]), fields.get("school_id"))
    request_id = new_id()
    values = {k: fields[k] for k in REQUEST_FIELDS}
    uow.session.execute(cpd_requests.insert().values(
        id=request_id, trust_id=trust_id, person_id=person_id, school_id=school_id, reason=fields["reason"],
        status=rules.PENDING, created_at=now(), **values))
    uow.publish("portfolio.cpd_request.submitted", {
        "request_id": request_id, "person_id": person_id, "school_id": school_id, "title": values["title"],
        "activity_type": values["activity_type"], "starts_on": values["starts_on"],
        "hours": Decimal(values["hours"]), "cost": Decimal(values["cost"]), "cover_needed": values["cover_needed"],
    }, trust_id=trust_id, school_id=school_id, actor_id=person_id)
    return request_id


def decide(uow: UnitOfWork, *, trust_id: str, decider_id: str, decider_roles: Iterable[rules.RoleAt],
           decisions: list[dict]) -> list[dict]:
    """Apply every decision or none (the caller's unit of work rolls back on the first refusal)."""
    decider_roles = list(decider_roles)
    results = []
    for decision in decisions:
        row = row_in_trust(uow.session, cpd_requests, decision["request_id"], trust_id, "CPD request")
        status = rules.decide(_facts(row), decision["decision"], decider_id=decider_id, decider_roles=decider_roles)
        claimed = uow.session.execute(
            update(cpd_requests).where(cpd_requests.c.id == row.id, cpd_requests.c.status == rules.PENDING)
            .values(status=status, decided_by=decider_id, decided_at=now(),
                    decision_comment=decision.get("comment"))).rowcount
        if claimed == 0:  # decided by someone else since it was read
            raise rules.already_decided(row.id)
        activity_id = None
        if status == "approved":
            [activity_id] = record_activities(uow, trust_id=trust_id, person_ids=[row.person_id],
                                              fields=approved_activity_fields(row), source="request",
                                              actor_id=decider_id)
            uow.session.execute(update(cpd_requests).where(cpd_requests.c.id == row.id)
                                .values(activity_id=activity_id))
        uow.publish("portfolio.cpd_request.decided", {
            "request_id": row.id, "person_id": row.person_id, "school_id": row.school_id,
            "decision": status, "decided_by": decider_id, "activity_id": activity_id,
            "cost": Decimal(row.cost)}, trust_id=trust_id, school_id=row.school_id, actor_id=decider_id)
        results.append({"request_id": row.id, "decision": status, "activity_id": activity_id})
    return results


def withdraw(uow: UnitOfWork, *, trust_id: str, person_id: str, request_id: str) -> None:
    row = row_in_trust(uow.session, cpd_requests, request_id, trust_id, "CPD request")
    status = rules.withdraw(_facts(row), person_id)
    changed = uow.session.execute(update(cpd_requests).where(
        cpd_requests.c.id == request_id, cpd_requests.c.status == rules.PENDING).values(status=status)).rowcount
    if changed == 0:
        raise rules.cannot_withdraw()

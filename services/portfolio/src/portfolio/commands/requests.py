"""CPD requests: a person asks; the school's CPD lead (or head) approves or declines, one or many at
once; an approved request becomes an activity in the portfolio. A request is decided once: two
people deciding it at the same time get one success and one 409."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from portfolio.tables import cpd_requests
from portfolio.commands.activities import record_activities
from portfolio.commands.common import check_dates, get_row, new_id, now, school_on

REQUEST_FIELDS = ("title", "activity_type", "provider", "starts_on", "ends_on", "hours", "cost", "cover_needed")


def approved_activity_fields(request) -> dict:
    """What an approved request records in the portfolio (``request``: a row or a dict)."""
    get = request.get if isinstance(request, dict) else lambda name: getattr(request, name)
    return {**{k: get(k) for k in REQUEST_FIELDS}, "school_id": get("school_id"), "delivery": "external",
            "linked_standards": [], "linked_objectives": [], "reflection": None}


def deciding_school(session, person_id: str, fields: dict) -> str:
    """The school that decides a request: where the person works on its first day. Approval records
    the activity under the school the person worked at on that day (``activity_rows``), so asking
    any other school, or for a day already past, would make a request that can never be approved."""
    check_dates(fields["starts_on"], fields["ends_on"])
    if fields["starts_on"] < date.today():
        raise field_error("starts_on", "must not be in the past: a request is made before the activity")
    school_id = school_on(session, person_id, fields["starts_on"], fields.get("school_id"))
    if school_id is None:
        raise field_error("starts_on", "you work at no school of the trust on this day")
    return school_id


def submit_request(uow: UnitOfWork, *, trust_id: str, person_id: str, fields: dict) -> str:
    school_id = deciding_school(uow.session, person_id, fields)
    request_id = new_id()
    values = {k: fields[k] for k in REQUEST_FIELDS}
    uow.session.execute(cpd_requests.insert().values(
        id=request_id, trust_id=trust_id, person_id=person_id, school_id=school_id, reason=fields["reason"],
        status="pending", created_at=now(), **values))
    uow.publish("portfolio.cpd_request.submitted", {
        "request_id": request_id, "person_id": person_id, "school_id": school_id, "title": values["title"],
        "activity_type": values["activity_type"], "starts_on": values["starts_on"],
        "hours": Decimal(values["hours"]), "cost": Decimal(values["cost"]), "cover_needed": values["cover_needed"],
    }, trust_id=trust_id, school_id=school_id, actor_id=person_id)
    return request_id


def decide(uow: UnitOfWork, *, trust_id: str, decider_id: str, decisions: list[dict], may_decide,
           follow_up_weeks: int = 6) -> list[dict]:
    """Apply every decision or none. ``may_decide(school_id)`` raises if the decider may not."""
    results = []
    for decision in decisions:
        row = get_row(uow.session, cpd_requests, decision["request_id"], trust_id, "CPD request")
        may_decide(row.school_id)
        if row.person_id == decider_id:
            raise ApiError(403, "you cannot decide your own request", errors={"request_id": [row.id]})
        approved = decision["decision"] == "approved"
        claimed = uow.session.execute(
            update(cpd_requests).where(cpd_requests.c.id == row.id, cpd_requests.c.status == "pending")
            .values(status=decision["decision"], decided_by=decider_id, decided_at=now(),
                    decision_comment=decision.get("comment"))).rowcount
        if claimed == 0:  # decided by someone else first, or before
            raise ApiError(409, "this request was already decided", errors={"request_id": [row.id]})
        activity_id = None
        if approved:
            [activity_id] = record_activities(uow, trust_id=trust_id, person_ids=[row.person_id],
                                              fields=approved_activity_fields(row),
                                              source="request", actor_id=decider_id,
                                              follow_up_weeks=follow_up_weeks)
            uow.session.execute(update(cpd_requests).where(cpd_requests.c.id == row.id)
                                .values(activity_id=activity_id))
        uow.publish("portfolio.cpd_request.decided", {
            "request_id": row.id, "person_id": row.person_id, "school_id": row.school_id,
            "decision": decision["decision"], "decided_by": decider_id, "activity_id": activity_id,
            "cost": Decimal(row.cost)}, trust_id=trust_id, school_id=row.school_id, actor_id=decider_id)
        results.append({"request_id": row.id, "decision": decision["decision"], "activity_id": activity_id})
    return results


def withdraw(uow: UnitOfWork, *, trust_id: str, person_id: str, request_id: str) -> None:
    row = get_row(uow.session, cpd_requests, request_id, trust_id, "CPD request")
    if row.person_id != person_id:
        raise ApiError(403, "only the person who asked can withdraw a request")
    changed = uow.session.execute(update(cpd_requests).where(
        cpd_requests.c.id == request_id, cpd_requests.c.status == "pending").values(status="withdrawn")).rowcount
    if changed == 0:
        raise ApiError(409, "only a pending request can be withdrawn")



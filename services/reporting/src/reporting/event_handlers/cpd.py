"""Portfolio's activities, evaluations and CPD requests into facts and the CPD rollups."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from sqlalchemy import Table

from canopy_kit.events.subscriptions import ReceivedEvent
from reporting import facts
from reporting.domain.requests import PENDING
from reporting.domain.scope import cell_school
from reporting.domain.years import academic_year
from reporting.rollups import ALL, Changes, apply
from reporting.tables import cpd_activities, cpd_evaluations, cpd_requests

Stored = Mapping[str, Any] | None  # an item's fact row as reporting holds it, if it holds one
# A request's row before either of its events said anything: pending, and nothing known of it.
UNKNOWN_REQUEST = {**{column.name: None for column in cpd_requests.columns}, "status": PENDING}


def _keep_newest(uow, table: Table, key: str, events: list[ReceivedEvent],
                 fact: Callable[[ReceivedEvent, Stored], dict[str, Any]], stamp: str = "occurred_at") -> None:
    """One fact row per item, from the newest of its events (newer by the ``stamp`` column),
    counted into the rollups. ``fact`` makes the row from the event and the item's stored row."""
    changes = Changes()
    fresh, stored = facts.newest_events(uow.session, table, key, events, stamp)
    rows = {str(e.data[key]): [fact(e, stored.get(str(e.data[key])))] for e in fresh}
    facts.replace(uow.session, table, key, rows, changes, stored)
    apply(uow.session, ALL, changes)


def _activity(event: ReceivedEvent, _stored: Stored) -> dict[str, Any]:
    data = event.data
    return {"activity_id": str(data["activity_id"]), "trust_id": event.trust_id, "person_id": str(data["person_id"]),
            "school_id": cell_school(data["school_id"]), "activity_type": data["activity_type"],
            "delivery": data["delivery"], "starts_on": data["starts_on"],
            "academic_year": academic_year(data["starts_on"]), "hours": data["hours"], "cost": data["cost"],
            "cover_needed": data["cover_needed"], "occurred_at": facts.occurred(event)}


def _evaluation(event: ReceivedEvent, _stored: Stored) -> dict[str, Any]:
    data = event.data
    return {"evaluation_id": str(data["evaluation_id"]), "trust_id": event.trust_id,
            "activity_id": str(data["activity_id"]), "person_id": str(data["person_id"]),
            "school_id": cell_school(data["school_id"]),
            "stage": data["stage"], "reaction": data["reaction"], "learning": data["learning"],
            "use_in_practice": data["use_in_practice"], "pupil_outcomes": data["pupil_outcomes"],
            "submitted_on": data["submitted_on"], "academic_year": academic_year(data["submitted_on"]),
            "occurred_at": facts.occurred(event)}


def activities_changed(uow, events: list[ReceivedEvent]) -> None:
    """``portfolio.cpd.recorded`` / ``updated``: the activity's whole state."""
    _keep_newest(uow, cpd_activities, "activity_id", events, _activity)


def evaluations_submitted(uow, events: list[ReceivedEvent]) -> None:
    _keep_newest(uow, cpd_evaluations, "evaluation_id", events, _evaluation)


def _request_part(event: ReceivedEvent, stored: Stored, part: dict[str, Any]) -> dict[str, Any]:
    """A request's row: what this event says over what the other event said (``stored``)."""
    data = event.data
    return {**UNKNOWN_REQUEST, **(stored or {}), **part, "request_id": str(data["request_id"]),
            "trust_id": event.trust_id, "person_id": str(data["person_id"]), "school_id": str(data["school_id"])}


def _submission(event: ReceivedEvent, stored: Stored) -> dict[str, Any]:
    data = event.data
    return _request_part(event, stored, {
        "starts_on": data["starts_on"], "academic_year": academic_year(data["starts_on"]),
        "cost_asked": data["cost"], "cover_needed": data["cover_needed"], "submitted_at": facts.occurred(event)})


def _decision(event: ReceivedEvent, stored: Stored) -> dict[str, Any]:
    data = event.data
    return _request_part(event, stored, {
        "status": data["decision"], "cost_decided": data["cost"], "decided_at": facts.occurred(event)})


def requests_submitted(uow, events: list[ReceivedEvent]) -> None:
    """``portfolio.cpd_request.submitted``: what was asked; a decision already held stands."""
    _keep_newest(uow, cpd_requests, "request_id", events, _submission, stamp="submitted_at")


def requests_decided(uow, events: list[ReceivedEvent]) -> None:
    """``portfolio.cpd_request.decided``: approved or declined, before or after its submission arrived."""
    _keep_newest(uow, cpd_requests, "request_id", events, _decision, stamp="decided_at")

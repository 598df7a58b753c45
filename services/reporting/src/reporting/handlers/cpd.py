"""Portfolio's activities and evaluations into facts and the CPD rollups."""
from __future__ import annotations

from canopy_kit.events.subscriptions import ReceivedEvent
from reporting import facts
from reporting.db import cpd_activities, cpd_evaluations
from reporting.domain.years import academic_year
from reporting.rollups import ALL, NO_SCHOOL, Changes, apply


def _school(data) -> str:
    return str(data["school_id"]) if data["school_id"] is not None else NO_SCHOOL


def activities_changed(uow, events: list[ReceivedEvent]) -> None:
    """``portfolio.cpd.recorded`` / ``updated``: the activity's whole state."""
    rows = {}
    for event in facts.newest_events(uow.session, cpd_activities, "activity_id", events):
        data = event.data
        rows[str(data["activity_id"])] = [{
            "activity_id": str(data["activity_id"]), "trust_id": event.trust_id, "person_id": str(data["person_id"]),
            "school_id": _school(data), "activity_type": data["activity_type"], "delivery": data["delivery"],
            "starts_on": data["starts_on"], "academic_year": academic_year(data["starts_on"]), "hours": data["hours"],
            "cost": data["cost"], "cover_needed": data["cover_needed"], "occurred_at": facts.occurred(event)}]
    changes = Changes()
    facts.replace(uow.session, cpd_activities, "activity_id", rows, changes)
    apply(uow.session, ALL, changes)


def evaluations_submitted(uow, events: list[ReceivedEvent]) -> None:
    rows = {}
    for event in facts.newest_events(uow.session, cpd_evaluations, "evaluation_id", events):
        data = event.data
        rows[str(data["evaluation_id"])] = [{
            "evaluation_id": str(data["evaluation_id"]), "trust_id": event.trust_id,
            "activity_id": str(data["activity_id"]), "person_id": str(data["person_id"]), "school_id": _school(data),
            "stage": data["stage"], "reaction": data["reaction"], "learning": data["learning"],
            "use_in_practice": data["use_in_practice"], "pupil_outcomes": data["pupil_outcomes"],
            "submitted_on": data["submitted_on"], "academic_year": academic_year(data["submitted_on"]),
            "occurred_at": facts.occurred(event)}]
    changes = Changes()
    facts.replace(uow.session, cpd_evaluations, "evaluation_id", rows, changes)
    apply(uow.session, ALL, changes)

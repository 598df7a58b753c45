"""Portfolio's activities and evaluations into facts and the CPD rollups."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import Table

from canopy_kit.events.subscriptions import ReceivedEvent
from reporting import facts
from reporting.domain.scope import cell_school
from reporting.domain.years import academic_year
from reporting.rollups import ALL, Changes, apply
from reporting.tables import cpd_activities, cpd_evaluations


def _keep_newest(uow, table: Table, key: str, events: list[ReceivedEvent],
                 fact: Callable[[ReceivedEvent], dict[str, Any]]) -> None:
    """One fact row per item, from the newest of its events, counted into the rollups."""
    changes = Changes()
    fresh, stored = facts.newest_events(uow.session, table, key, events)
    facts.replace(uow.session, table, key, {str(e.data[key]): [fact(e)] for e in fresh}, changes, stored)
    apply(uow.session, ALL, changes)


def _activity(event: ReceivedEvent) -> dict[str, Any]:
    data = event.data
    return {"activity_id": str(data["activity_id"]), "trust_id": event.trust_id, "person_id": str(data["person_id"]),
            "school_id": cell_school(data["school_id"]), "activity_type": data["activity_type"],
            "delivery": data["delivery"], "starts_on": data["starts_on"],
            "academic_year": academic_year(data["starts_on"]), "hours": data["hours"], "cost": data["cost"],
            "cover_needed": data["cover_needed"], "occurred_at": facts.occurred(event)}


def _evaluation(event: ReceivedEvent) -> dict[str, Any]:
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

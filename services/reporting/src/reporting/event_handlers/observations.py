"""Observation records into facts and the observation rollups; principle names from frameworks."""
from __future__ import annotations

from sqlalchemy.orm import Session

from canopy_kit.events.subscriptions import ReceivedEvent
from canopy_kit.projections.directory import upsert_if_newer
from reporting import facts
from reporting.tables import obs_ratings, obs_records, principles
from reporting.domain.years import academic_year
from reporting.rollups import ALL, Changes, apply


def _record_row(event: ReceivedEvent) -> dict:
    data = event.data
    return {"record_id": str(data["record_id"]), "trust_id": event.trust_id, "school_id": str(data["school_id"]),
            "observee_id": str(data["observee_id"]), "kind": data["kind"], "observed_on": data["observed_on"],
            "academic_year": academic_year(data["observed_on"]), "privacy": data["privacy"], "status": data["status"],
            "open_action_steps": data["open_action_steps"], "occurred_at": facts.occurred(event)}


def _rating_rows(record: dict, event: ReceivedEvent) -> list[dict]:
    # A rating on an item linked to no principle has nowhere to be reported.
    return [{"record_id": record["record_id"], "item_id": rating["item_id"], "trust_id": record["trust_id"],
             "school_id": record["school_id"], "academic_year": record["academic_year"],
             "person_id": record["observee_id"], "principle_id": str(rating["principle_id"]),
             "normalised": rating["normalised"]}
            for rating in event.data["ratings"] if rating["principle_id"] is not None]


def records_changed(uow, events: list[ReceivedEvent]) -> None:
    """``observation.record.*``: the record's whole state, replacing what reporting held."""
    session: Session = uow.session
    records, ratings = {}, {}
    fresh, stored = facts.newest_events(session, obs_records, "record_id", events)
    for event in fresh:
        record = _record_row(event)
        records[record["record_id"]] = [record]
        ratings[record["record_id"]] = _rating_rows(record, event)
    changes = Changes()
    facts.replace(session, obs_records, "record_id", records, changes, stored)
    facts.replace(session, obs_ratings, "record_id", ratings, changes)
    apply(session, ALL, changes)


def framework_published(uow, events: list[ReceivedEvent]) -> None:
    """A framework version's items are the principles reports are grouped by; the newest wording wins."""
    rows = {}
    for event in events:
        data = event.data
        for item in data["items"]:
            rows[str(item["item_id"])] = {
                "principle_id": str(item["item_id"]), "trust_id": event.trust_id, "framework_key": data["key"],
                "framework_name": data["name"], "code": item["code"], "title": item["title"],
                "updated_at": facts.occurred(event)}
    if rows:
        upsert_if_newer(uow.session, principles, "principle_id", list(rows.values()))

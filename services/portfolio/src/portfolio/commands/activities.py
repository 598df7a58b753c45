"""CPD activities and evidence in a person's portfolio."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Invalid
from portfolio.commands.common import schools_on, standards_json
from portfolio.domain.activities import check_dates, school_of_record
from portfolio.domain.evaluations import due_dates
from portfolio.tables import activities, evaluations, evidence

ACTIVITY_FIELDS = ("title", "activity_type", "delivery", "provider", "starts_on", "ends_on", "hours", "cost",
                   "cover_needed", "linked_standards", "linked_objectives", "reflection")


def activity_payload(row) -> dict[str, Any]:
    return {"activity_id": row.id, "person_id": row.person_id, "school_id": row.school_id, "title": row.title,
            "activity_type": row.activity_type, "delivery": row.delivery, "provider": row.provider,
            "starts_on": row.starts_on, "ends_on": row.ends_on, "hours": Decimal(row.hours),
            "cost": Decimal(row.cost), "cover_needed": row.cover_needed,
            "linked_standards": json.loads(row.linked_standards), "source": row.source}


def _values(fields: dict) -> dict:
    check_dates(fields["starts_on"], fields["ends_on"])
    return {**fields, "linked_standards": standards_json(fields.get("linked_standards", [])),
            "linked_objectives": json.dumps(fields.get("linked_objectives", []))}


def _activity_rows(session: Session, *, trust_id: str, person_id: str, fields: dict, source: str,
                   follow_up_weeks: int) -> tuple[dict, list[dict]]:
    """The activity row and its two evaluation rows (straight after; a follow-up weeks later)."""
    values = _values({k: v for k, v in fields.items() if k != "school_id"})
    school_id = school_of_record(schools_on(session, person_id, values["starts_on"]), fields.get("school_id"))
    activity_id = new_id()
    row = {"id": activity_id, "trust_id": trust_id, "person_id": person_id, "source": source,
           "school_id": school_id, "created_at": now(), "updated_at": now(), **values}
    return row, [{"id": new_id(), "trust_id": trust_id, "activity_id": activity_id, "person_id": person_id,
                  "stage": stage, "due_on": due_on}
                 for stage, due_on in due_dates(values["ends_on"], follow_up_weeks).items()]


def record_activities(uow: UnitOfWork, *, trust_id: str, person_ids: list[str], fields: dict, source: str,
                      actor_id: str | None) -> list[str]:
    """One activity for each person (one for the owner, or "assign to many"), written together,
    each with its evaluations due ``follow_up_weeks`` (the service's setting) apart."""
    rows, evaluation_rows = [], []
    for person_id in person_ids:
        row, evals = _activity_rows(uow.session, trust_id=trust_id, person_id=person_id, fields=fields,
                                    source=source, follow_up_weeks=uow.settings.follow_up_weeks)
        rows.append(row)
        evaluation_rows.extend(evals)
    uow.session.execute(activities.insert(), rows)
    uow.session.execute(evaluations.insert(), evaluation_rows)
    uow.publish_many([("portfolio.cpd.recorded", activity_payload(SimpleNamespace(**r)),
                       {"trust_id": trust_id, "school_id": r["school_id"], "actor_id": actor_id}) for r in rows])
    return [r["id"] for r in rows]


def update_activity(uow: UnitOfWork, *, trust_id: str, activity_id: str, changes: dict, actor_id: str) -> None:
    row = row_in_trust(uow.session, activities, activity_id, trust_id, "activity", lock=True)
    merged = {**{k: getattr(row, k) for k in ACTIVITY_FIELDS}, **changes}
    merged["linked_standards"] = changes.get("linked_standards", json.loads(row.linked_standards))
    merged["linked_objectives"] = changes.get("linked_objectives", json.loads(row.linked_objectives))
    values = _values(merged)
    uow.session.execute(update(activities).where(activities.c.id == activity_id).values(**values, updated_at=now()))
    fresh = uow.session.execute(select(activities).where(activities.c.id == activity_id)).one()
    uow.publish("portfolio.cpd.updated", activity_payload(fresh), trust_id=trust_id, school_id=fresh.school_id,
                actor_id=actor_id)


def add_evidence(uow: UnitOfWork, *, trust_id: str, person_id: str, values: dict) -> str:
    if values.get("activity_id"):
        activity = row_in_trust(uow.session, activities, values["activity_id"], trust_id, "activity")
        if activity.person_id != person_id:
            raise Invalid.on("activity_id", "is not an activity of this person")
    evidence_id = new_id()
    uow.session.execute(evidence.insert().values(
        id=evidence_id, trust_id=trust_id, person_id=person_id, added_on=date.today(), created_at=now(),
        **{**values, "linked_standards": standards_json(values.get("linked_standards", []))}))
    return evidence_id

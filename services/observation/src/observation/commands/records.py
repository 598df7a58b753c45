"""Observation records and their workflow: the observer drafts, shares with the observee, the
observee responds and acknowledges; action steps are followed up later.

Every command checks who may do it against the record itself (``observation.domain.records``) and
writes its event in the same transaction. Record events carry ratings only for reportable records
(see the contracts).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, insert, update

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict
from observation import queries
from observation.commands.templates import usable_version
from observation.domain import forms
from observation.domain.drafts import check_row_version
from observation.domain.records import (
    ACKNOWLEDGED, COMPLETED, DRAFT, OPEN, SHARED, carries_ratings, check_follow_up, check_may_acknowledge,
    check_may_change, check_may_complete_step, check_may_let_see,
)
from observation.tables import (
    action_steps, from_json, record_ratings, record_shares, records, template_versions, to_json,
)


def record_state(uow: UnitOfWork, record) -> dict[str, Any]:
    """The record as its events carry it: whole state, ratings for reportable records only."""
    version = row_in_trust(uow.session, template_versions, record.template_version_id, record.trust_id,
                           "form version")
    ratings = forms.ratings(from_json(version.definition), from_json(record.responses)) if carries_ratings(record) else []
    return {"record_id": record.id, "school_id": record.school_id, "kind": record.kind,
            "observer_id": record.observer_id, "observee_id": record.observee_id, "observed_on": record.observed_on,
            "template_id": version.template_id, "template_version_id": record.template_version_id,
            "template_version": version.version, "privacy": record.privacy, "status": record.status,
            "subject": record.subject, "year_group": record.year_group,
            "open_action_steps": len(queries.open_action_step_ids(uow.session, record.id)), "ratings": ratings}


def _publish(uow: UnitOfWork, event_type: str, trust_id: str, record_id: str, actor_id: str) -> None:
    record = row_in_trust(uow.session, records, record_id, trust_id, "record")
    uow.publish(event_type, record_state(uow, record), trust_id=record.trust_id, school_id=record.school_id,
                actor_id=actor_id)


def rating_rows(trust_id: str, record_id: str, definition: dict, responses: dict) -> list[dict]:
    return [{"record_id": record_id, "item_id": r["item_id"], "trust_id": trust_id,
             "principle_id": r["principle_id"], "normalised": r["normalised"]}
            for r in forms.ratings(definition, responses)]


def _write_ratings(uow: UnitOfWork, trust_id: str, record_id: str, definition: dict, clean: dict, *,
                   replace: bool = True) -> None:
    if replace:
        uow.session.execute(delete(record_ratings).where(record_ratings.c.record_id == record_id))
    rows = rating_rows(trust_id, record_id, definition, clean)
    if rows:
        uow.session.execute(insert(record_ratings), rows)


def _write_steps(uow: UnitOfWork, trust_id: str, record_id: str, steps: list[dict], *, replace: bool = True) -> None:
    """The record's open action steps become ``steps`` (completed ones stay as they were)."""
    if replace:
        uow.session.execute(delete(action_steps).where(action_steps.c.record_id == record_id,
                                                       action_steps.c.status == OPEN))
    if steps:
        uow.session.execute(insert(action_steps), [
            {"id": new_id(), "trust_id": trust_id, "record_id": record_id, "text": s["text"], "due_on": s.get("due_on"),
             "status": OPEN, "completed_at": None, "completed_in_record_id": None} for s in steps])


def create_record(uow: UnitOfWork, *, trust_id: str, observer_id: str, school_id: str, body: dict) -> str:
    version = usable_version(uow, trust_id, body["template_version_id"], school_id)
    definition = from_json(version.definition)
    clean = forms.check_responses(definition, body.get("responses") or {})
    record_id = new_id()
    uow.session.execute(insert(records), {
        "id": record_id, "trust_id": trust_id, "school_id": school_id, "kind": body["kind"],
        "observer_id": observer_id, "observee_id": body["observee_id"], "observed_on": body["observed_on"],
        "class_name": body.get("class_name"), "subject": body.get("subject"), "year_group": body.get("year_group"),
        "template_version_id": version.id, "responses": to_json(clean), "strengths": body.get("strengths"),
        "privacy": body["privacy"], "status": DRAFT, "observee_response": None,
        "follows_up_record_id": body.get("follows_up_record_id"), "row_version": 1, "created_at": now(),
        "shared_at": None, "acknowledged_at": None})
    _write_ratings(uow, trust_id, record_id, definition, clean, replace=False)
    _write_steps(uow, trust_id, record_id, body.get("action_steps") or [], replace=False)
    if body.get("follows_up_record_id"):
        check_follow_up(row_in_trust(uow.session, records, body["follows_up_record_id"], trust_id, "record"),
                        body["observee_id"])
    for step_id in body.get("completed_action_step_ids") or []:
        complete_action_step(uow, trust_id=trust_id, step_id=step_id, actor_id=observer_id, in_record_id=record_id,
                             observee_id=body["observee_id"])
    _publish(uow, "observation.record.recorded", trust_id, record_id, observer_id)
    if body.get("share"):
        share_record(uow, trust_id=trust_id, record_id=record_id, actor_id=observer_id)
    return record_id


def _own_draft(uow: UnitOfWork, trust_id: str, record_id: str, actor_id: str):
    record = row_in_trust(uow.session, records, record_id, trust_id, "record", lock=True)
    check_may_change(record, actor_id)
    return record


def update_draft(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, changes: dict,
                 expected_row_version: int | None) -> int:
    record = _own_draft(uow, trust_id, record_id, actor_id)
    check_row_version(record.row_version, expected_row_version)
    values = {k: v for k, v in changes.items() if k in ("observed_on", "class_name", "subject", "year_group",
                                                        "strengths", "privacy", "kind")}
    if "responses" in changes:
        definition = from_json(queries.template_version(uow.session, record.template_version_id).definition)
        clean = forms.check_responses(definition, changes["responses"])
        _write_ratings(uow, trust_id, record_id, definition, clean)
        values["responses"] = to_json(clean)
    if "action_steps" in changes:
        _write_steps(uow, trust_id, record_id, changes["action_steps"])
    saved = uow.session.execute(update(records).where(records.c.id == record_id,
                                                      records.c.row_version == record.row_version)
                                .values(**values, row_version=record.row_version + 1))
    if saved.rowcount != 1:
        raise Conflict("someone else saved the record at the same time; reload it and try again")
    return record.row_version + 1


def share_record(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str) -> None:
    record = _own_draft(uow, trust_id, record_id, actor_id)
    uow.session.execute(update(records).where(records.c.id == record_id).values(
        status=SHARED, shared_at=now(), row_version=record.row_version + 1))
    _publish(uow, "observation.record.shared", trust_id, record_id, actor_id)


def acknowledge(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, response: str | None) -> None:
    """The observee acknowledges (once), optionally with their response. The row lock makes two
    acknowledgements at once take turns: the second finds it acknowledged and gets a conflict."""
    record = row_in_trust(uow.session, records, record_id, trust_id, "record", lock=True)
    check_may_acknowledge(record, actor_id)
    uow.session.execute(update(records).where(records.c.id == record_id, records.c.status == SHARED).values(
        status=ACKNOWLEDGED, acknowledged_at=now(), observee_response=response,
        row_version=record.row_version + 1))
    _publish(uow, "observation.record.acknowledged", trust_id, record_id, actor_id)


def grant_access(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, person_id: str) -> None:
    record = row_in_trust(uow.session, records, record_id, trust_id, "record")
    check_may_let_see(record, actor_id, person_id)
    if person_id in queries.shared_with(uow.session, record_id):
        return  # sharing twice changes nothing
    uow.session.execute(insert(record_shares).values(record_id=record_id, person_id=person_id, trust_id=trust_id,
                                                     shared_at=now()))
    uow.publish("observation.record.access_granted", {"record_id": record_id, "observee_id": record.observee_id,
                                                      "person_id": person_id, "privacy": record.privacy},
                trust_id=trust_id, school_id=record.school_id, actor_id=actor_id)


def complete_action_step(uow: UnitOfWork, *, trust_id: str, step_id: str, actor_id: str,
                         in_record_id: str | None = None, observee_id: str | None = None,
                         on: date | None = None) -> None:
    """``observee_id``: the person a follow-up record completing it is about (``in_record_id``)."""
    step = row_in_trust(uow.session, action_steps, step_id, trust_id, "action step", lock=True)
    record = row_in_trust(uow.session, records, step.record_id, trust_id, "record")
    check_may_complete_step(record, step_id=step_id, step_status=step.status, actor_id=actor_id,
                            follow_up_observee_id=observee_id, in_record=in_record_id is not None)
    uow.session.execute(update(action_steps).where(action_steps.c.id == step_id).values(
        status=COMPLETED, completed_at=now(), completed_in_record_id=in_record_id))
    uow.publish("observation.action_step.completed", {
        "action_step_id": step_id, "record_id": record.id, "observer_id": record.observer_id,
        "observee_id": record.observee_id, "privacy": record.privacy, "due_on": step.due_on,
        "completed_on": on or now().date(), "completed_in_record_id": in_record_id,
    }, trust_id=trust_id, school_id=record.school_id, actor_id=actor_id)

"""Observation records and their workflow: the observer drafts, shares with the observee, the
observee responds and acknowledges; action steps are followed up later.

Every command checks who may do it against the record itself and writes its event in the same
transaction. Record events carry ratings only for reportable records (see the contracts).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from observation.db import action_steps, record_ratings, record_shares, records, template_versions
from observation.domain import forms
from observation.handlers.common import check_row_version, find, form_error, from_json, new_id, now, to_json
from observation.handlers.templates import usable_version


def record_state(uow: UnitOfWork, record) -> dict[str, Any]:
    """The record as its events carry it: whole state, ratings for reportable records only."""
    version = uow.session.execute(select(template_versions).where(
        template_versions.c.id == record.template_version_id)).one()
    open_steps = uow.session.execute(select(func.count()).select_from(action_steps).where(
        action_steps.c.record_id == record.id, action_steps.c.status == "open")).scalar_one()
    ratings = []
    if record.privacy == "reportable" and record.status != "draft":
        ratings = forms.ratings(from_json(version.definition), from_json(record.responses))
    return {"record_id": record.id, "school_id": record.school_id, "kind": record.kind,
            "observer_id": record.observer_id, "observee_id": record.observee_id, "observed_on": record.observed_on,
            "template_id": version.template_id, "template_version_id": record.template_version_id,
            "template_version": version.version, "privacy": record.privacy, "status": record.status,
            "subject": record.subject, "year_group": record.year_group, "open_action_steps": open_steps,
            "ratings": ratings}


def _publish(uow: UnitOfWork, event_type: str, record_id: str, actor_id: str) -> None:
    record = uow.session.execute(select(records).where(records.c.id == record_id)).one()
    uow.publish(event_type, record_state(uow, record), trust_id=record.trust_id, school_id=record.school_id,
                actor_id=actor_id)


def rating_rows(trust_id: str, record_id: str, definition: dict, responses: dict) -> list[dict]:
    return [{"record_id": record_id, "item_id": r["item_id"], "trust_id": trust_id,
             "principle_id": r["principle_id"], "normalised": r["normalised"]}
            for r in forms.ratings(definition, responses)]


def _write_responses(uow: UnitOfWork, trust_id: str, record_id: str, version, responses: dict) -> dict:
    definition = from_json(version.definition)
    try:
        clean = forms.check_responses(definition, responses)
    except forms.FormError as exc:
        raise form_error(exc) from None
    uow.session.execute(delete(record_ratings).where(record_ratings.c.record_id == record_id))
    rows = rating_rows(trust_id, record_id, definition, clean)
    if rows:
        uow.session.execute(insert(record_ratings), rows)
    return clean


def _write_steps(uow: UnitOfWork, trust_id: str, record_id: str, steps: list[dict]) -> None:
    uow.session.execute(delete(action_steps).where(action_steps.c.record_id == record_id,
                                                   action_steps.c.status == "open"))
    if steps:
        uow.session.execute(insert(action_steps), [
            {"id": new_id(), "trust_id": trust_id, "record_id": record_id, "text": s["text"], "due_on": s.get("due_on"),
             "status": "open", "completed_at": None, "completed_in_record_id": None} for s in steps])


def create_record(uow: UnitOfWork, *, trust_id: str, observer_id: str, school_id: str, body: dict) -> str:
    version = usable_version(uow, trust_id, body["template_version_id"], school_id)
    record_id = new_id()
    uow.session.execute(insert(records).values(
        id=record_id, trust_id=trust_id, school_id=school_id, kind=body["kind"], observer_id=observer_id,
        observee_id=body["observee_id"], observed_on=body["observed_on"], class_name=body.get("class_name"),
        subject=body.get("subject"), year_group=body.get("year_group"), template_version_id=version.id,
        responses="{}", strengths=body.get("strengths"), privacy=body["privacy"], status="draft",
        follows_up_record_id=body.get("follows_up_record_id"), row_version=1, created_at=now()))
    clean = _write_responses(uow, trust_id, record_id, version, body.get("responses") or {})
    uow.session.execute(update(records).where(records.c.id == record_id).values(responses=to_json(clean)))
    _write_steps(uow, trust_id, record_id, body.get("action_steps") or [])
    if body.get("follows_up_record_id"):
        earlier = find(uow, records, body["follows_up_record_id"], trust_id, "record")
        if earlier.observee_id != body["observee_id"]:
            raise field_error("follows_up_record_id", "is a record about someone else")
    for step_id in body.get("completed_action_step_ids") or []:
        complete_action_step(uow, trust_id=trust_id, step_id=step_id, actor_id=observer_id, in_record_id=record_id,
                             observee_id=body["observee_id"])
    _publish(uow, "observation.record.recorded", record_id, observer_id)
    if body.get("share"):
        share_record(uow, trust_id=trust_id, record_id=record_id, actor_id=observer_id)
    return record_id


def _own_draft(uow: UnitOfWork, trust_id: str, record_id: str, actor_id: str):
    record = find(uow, records, record_id, trust_id, "record", lock=True)
    if record.observer_id != actor_id:
        raise ApiError(403, "only the observer may change or share a record")
    if record.status != "draft":
        raise ApiError(409, "the record was already shared: it can no longer be changed")
    return record


def update_draft(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, changes: dict,
                 expected_row_version: int | None) -> int:
    record = _own_draft(uow, trust_id, record_id, actor_id)
    check_row_version(record.row_version, expected_row_version)
    values = {k: v for k, v in changes.items() if k in ("observed_on", "class_name", "subject", "year_group",
                                                        "strengths", "privacy", "kind")}
    if "responses" in changes:
        version = uow.session.execute(select(template_versions).where(
            template_versions.c.id == record.template_version_id)).one()
        values["responses"] = to_json(_write_responses(uow, trust_id, record_id, version, changes["responses"]))
    if "action_steps" in changes:
        _write_steps(uow, trust_id, record_id, changes["action_steps"])
    saved = uow.session.execute(update(records).where(records.c.id == record_id,
                                                      records.c.row_version == record.row_version)
                                .values(**values, row_version=record.row_version + 1))
    if saved.rowcount != 1:
        raise ApiError(409, "someone else saved the record at the same time; reload it and try again")
    return record.row_version + 1


def share_record(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str) -> None:
    record = _own_draft(uow, trust_id, record_id, actor_id)
    uow.session.execute(update(records).where(records.c.id == record_id).values(
        status="shared", shared_at=now(), row_version=record.row_version + 1))
    _publish(uow, "observation.record.shared", record_id, actor_id)


def acknowledge(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, response: str | None) -> None:
    """The observee acknowledges (once), optionally with their response. The row lock makes two
    acknowledgements at once take turns: the second finds it acknowledged and gets a 409."""
    record = find(uow, records, record_id, trust_id, "record", lock=True)
    if record.observee_id != actor_id:
        raise ApiError(403, "only the person observed may acknowledge this record")
    if record.status == "draft":
        raise ApiError(404, "no such record")  # a draft does not exist for the observee yet
    if record.status == "acknowledged":
        raise ApiError(409, "the record was already acknowledged")
    uow.session.execute(update(records).where(records.c.id == record_id, records.c.status == "shared").values(
        status="acknowledged", acknowledged_at=now(), observee_response=response,
        row_version=record.row_version + 1))
    _publish(uow, "observation.record.acknowledged", record_id, actor_id)


def grant_access(uow: UnitOfWork, *, trust_id: str, record_id: str, actor_id: str, person_id: str) -> None:
    record = find(uow, records, record_id, trust_id, "record")
    if record.observee_id != actor_id or record.status == "draft":
        raise ApiError(403, "only the person observed may share their record")
    if person_id in (record.observee_id, record.observer_id):
        raise field_error("person_id", "already sees this record")
    if uow.session.execute(select(record_shares.c.person_id).where(
            record_shares.c.record_id == record_id, record_shares.c.person_id == person_id)).first():
        return  # sharing twice changes nothing
    uow.session.execute(insert(record_shares).values(record_id=record_id, person_id=person_id, trust_id=trust_id,
                                                     shared_at=now()))
    uow.publish("observation.record.access_granted", {"record_id": record_id, "observee_id": record.observee_id,
                                                      "person_id": person_id, "privacy": record.privacy},
                trust_id=trust_id, school_id=record.school_id, actor_id=actor_id)


def complete_action_step(uow: UnitOfWork, *, trust_id: str, step_id: str, actor_id: str,
                         in_record_id: str | None = None, observee_id: str | None = None,
                         on: date | None = None) -> None:
    step = find(uow, action_steps, step_id, trust_id, "action step", lock=True)
    record = find(uow, records, step.record_id, trust_id, "record")
    if actor_id not in (record.observer_id, record.observee_id) and observee_id is None:
        raise ApiError(403, "only the observer or the person observed may complete an action step")
    if observee_id is not None and observee_id != record.observee_id:
        raise field_error("completed_action_step_ids", f"{step_id} is an action step of someone else")
    if step.status == "completed":
        raise field_error("completed_action_step_ids" if in_record_id else "action_step_id",
                          "the action step is already completed", 409)
    uow.session.execute(update(action_steps).where(action_steps.c.id == step_id).values(
        status="completed", completed_at=now(), completed_in_record_id=in_record_id))
    uow.publish("observation.action_step.completed", {
        "action_step_id": step_id, "record_id": record.id, "observer_id": record.observer_id,
        "observee_id": record.observee_id, "privacy": record.privacy, "due_on": step.due_on,
        "completed_on": on or now().date(), "completed_in_record_id": in_record_id,
    }, trust_id=trust_id, school_id=record.school_id, actor_id=actor_id)

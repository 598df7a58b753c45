"""A record's workflow, as plain rules: the observer drafts it and shares it with the observee, who
acknowledges it (once); the observee may let a colleague see it; its action steps are completed
later, often in a follow-up record.

``draft -> shared -> acknowledged``, and nothing goes back. The rules take a record's facts (its
row will do: anything with ``observer_id``, ``observee_id``, ``status`` and ``privacy``) and the
acting person, and raise ``canopy_kit.errors`` saying why not.
"""
from __future__ import annotations

from typing import Protocol

from canopy_kit.errors import Conflict, Forbidden, Invalid, NotFound

DRAFT, SHARED, ACKNOWLEDGED = "draft", "shared", "acknowledged"
REPORTABLE, DEVELOPMENTAL = "reportable", "developmental"
OPEN, COMPLETED = "open", "completed"


class RecordFacts(Protocol):
    observer_id: str
    observee_id: str
    status: str
    privacy: str


def check_may_change(record: RecordFacts, actor_id: str) -> None:
    """Changing or sharing a record: its observer's, and only while it is a draft."""
    if record.observer_id != actor_id:
        raise Forbidden("only the observer may change or share a record")
    if record.status != DRAFT:
        raise Conflict("the record was already shared: it can no longer be changed")


def check_may_acknowledge(record: RecordFacts, actor_id: str) -> None:
    """The observee acknowledges a shared record, once."""
    if record.observee_id != actor_id:
        raise Forbidden("only the person observed may acknowledge this record")
    if record.status == DRAFT:
        raise NotFound("no such record")  # a draft does not exist for the observee yet
    if record.status == ACKNOWLEDGED:
        raise Conflict("the record was already acknowledged")


def check_may_let_see(record: RecordFacts, actor_id: str, person_id: str) -> None:
    """The observee lets ``person_id`` see their shared record (a developmental one too)."""
    if record.observee_id != actor_id or record.status == DRAFT:
        raise Forbidden("only the person observed may share their record")
    if person_id in (record.observee_id, record.observer_id):
        raise Invalid.on("person_id", "already sees this record")


def check_follow_up(earlier: RecordFacts, observee_id: str) -> None:
    """A record follows up an earlier record about the same person."""
    if earlier.observee_id != observee_id:
        raise Invalid.on("follows_up_record_id", "is a record about someone else")


def check_may_complete_step(record: RecordFacts, *, step_id: str, step_status: str, actor_id: str,
                            follow_up_observee_id: str | None = None, in_record: bool = False) -> None:
    """Completing an action step of ``record``: its observer or observee may; a follow-up record
    (about ``follow_up_observee_id``) may complete the steps of earlier records about the same
    person, whoever observes. ``in_record``: it is completed in a record, which names the field."""
    if actor_id not in (record.observer_id, record.observee_id) and follow_up_observee_id is None:
        raise Forbidden("only the observer or the person observed may complete an action step")
    if follow_up_observee_id is not None and follow_up_observee_id != record.observee_id:
        raise Invalid.on("completed_action_step_ids", f"{step_id} is an action step of someone else")
    if step_status == COMPLETED:
        raise Conflict.on("completed_action_step_ids" if in_record else "action_step_id",
                          "the action step is already completed")


def carries_ratings(record: RecordFacts) -> bool:
    """Only a shared reportable record's ratings leave observation (in its events): a
    developmental record's never do, and a draft is nobody's but its observer's yet."""
    return record.privacy == REPORTABLE and record.status != DRAFT

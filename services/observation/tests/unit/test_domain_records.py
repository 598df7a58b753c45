"""A record's workflow as plain rules: draft -> shared -> acknowledged, who may do each step, and
which records' ratings ever leave observation. No database, no app."""
from dataclasses import dataclass

import pytest

from canopy_kit.errors import Conflict, Forbidden, Invalid, NotFound
from observation.domain import records as workflow

OBSERVER, OBSERVEE, COLLEAGUE = "cleo", "tom", "cara"


@dataclass(frozen=True)
class Record:
    status: str = workflow.DRAFT
    privacy: str = workflow.REPORTABLE
    observer_id: str = OBSERVER
    observee_id: str = OBSERVEE


def test_only_the_observer_changes_a_record_and_only_while_it_is_a_draft():
    workflow.check_may_change(Record(), OBSERVER)
    with pytest.raises(Forbidden, match="only the observer"):
        workflow.check_may_change(Record(), OBSERVEE)
    for status in (workflow.SHARED, workflow.ACKNOWLEDGED):
        with pytest.raises(Conflict, match="already shared"):
            workflow.check_may_change(Record(status=status), OBSERVER)


def test_the_observee_acknowledges_a_shared_record_once_and_a_draft_does_not_exist_for_them():
    workflow.check_may_acknowledge(Record(status=workflow.SHARED), OBSERVEE)
    with pytest.raises(Forbidden, match="only the person observed"):
        workflow.check_may_acknowledge(Record(status=workflow.SHARED), OBSERVER)
    with pytest.raises(NotFound, match="no such record"):
        workflow.check_may_acknowledge(Record(status=workflow.DRAFT), OBSERVEE)
    with pytest.raises(Conflict, match="already acknowledged"):
        workflow.check_may_acknowledge(Record(status=workflow.ACKNOWLEDGED), OBSERVEE)


def test_the_observee_alone_lets_a_colleague_see_their_shared_record():
    workflow.check_may_let_see(Record(status=workflow.SHARED, privacy=workflow.DEVELOPMENTAL), OBSERVEE, COLLEAGUE)
    for record, actor in ((Record(status=workflow.SHARED), OBSERVER), (Record(status=workflow.DRAFT), OBSERVEE)):
        with pytest.raises(Forbidden):
            workflow.check_may_let_see(record, actor, COLLEAGUE)
    for already in (OBSERVER, OBSERVEE):
        with pytest.raises(Invalid) as caught:
            workflow.check_may_let_see(Record(status=workflow.SHARED), OBSERVEE, already)
        assert caught.value.errors == {"person_id": ["already sees this record"]}


def test_a_follow_up_is_about_the_same_person():
    workflow.check_follow_up(Record(), OBSERVEE)
    with pytest.raises(Invalid) as caught:
        workflow.check_follow_up(Record(), COLLEAGUE)
    assert caught.value.errors == {"follows_up_record_id": ["is a record about someone else"]}


def test_an_action_step_is_completed_by_its_people_or_in_a_follow_up_about_the_same_person():
    shared = Record(status=workflow.SHARED)
    for actor in (OBSERVER, OBSERVEE):
        workflow.check_may_complete_step(shared, step_id="s1", step_status=workflow.OPEN, actor_id=actor)
    # Another observer may complete it in a follow-up record about the same person.
    workflow.check_may_complete_step(shared, step_id="s1", step_status=workflow.OPEN, actor_id="hana",
                                     follow_up_observee_id=OBSERVEE, in_record=True)
    with pytest.raises(Forbidden):
        workflow.check_may_complete_step(shared, step_id="s1", step_status=workflow.OPEN, actor_id="hana")
    with pytest.raises(Invalid) as caught:
        workflow.check_may_complete_step(shared, step_id="s1", step_status=workflow.OPEN, actor_id="hana",
                                         follow_up_observee_id=COLLEAGUE, in_record=True)
    assert caught.value.errors == {"completed_action_step_ids": ["s1 is an action step of someone else"]}


@pytest.mark.parametrize("in_record, field", [(True, "completed_action_step_ids"), (False, "action_step_id")])
def test_a_completed_step_is_not_completed_again_naming_where_it_was_asked(in_record, field):
    with pytest.raises(Conflict) as caught:
        workflow.check_may_complete_step(Record(), step_id="s1", step_status=workflow.COMPLETED, actor_id=OBSERVER,
                                         in_record=in_record)
    assert caught.value.errors == {field: ["the action step is already completed"]}


@pytest.mark.parametrize("status, privacy, carries", [
    (workflow.SHARED, workflow.REPORTABLE, True),
    (workflow.ACKNOWLEDGED, workflow.REPORTABLE, True),
    (workflow.DRAFT, workflow.REPORTABLE, False),
    (workflow.SHARED, workflow.DEVELOPMENTAL, False),
    (workflow.ACKNOWLEDGED, workflow.DEVELOPMENTAL, False),
])
def test_only_a_shared_reportable_records_ratings_leave_observation(status, privacy, carries):
    assert workflow.carries_ratings(Record(status=status, privacy=privacy)) is carries

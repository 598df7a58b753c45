"""Who may observe whom at which school, and who may read a record, from plain facts."""
from dataclasses import dataclass
from datetime import date

import pytest

from canopy_kit.errors import Forbidden, Invalid
from observation.domain.observing import may_read, observation_school
from observation.domain.records import ACKNOWLEDGED, DEVELOPMENTAL, DRAFT, REPORTABLE, SHARED

ASH, BIRCH = "ash", "birch"


def test_one_observes_others_at_a_school_where_one_may_and_says_which_when_there_are_several():
    assert observation_school("cleo", "tom", {ASH}, None) == ASH
    assert observation_school("cleo", "tom", {ASH, BIRCH}, BIRCH) == BIRCH
    with pytest.raises(Invalid) as myself:
        observation_school("cleo", "cleo", {ASH}, None)
    assert myself.value.errors == {"observee_id": ["you cannot observe yourself"]}
    with pytest.raises(Invalid) as several:
        observation_school("cleo", "tom", {ASH, BIRCH}, None)
    assert list(several.value.errors) == ["school_id"]
    with pytest.raises(Forbidden) as elsewhere:
        observation_school("cleo", "tom", {ASH}, BIRCH)
    assert list(elsewhere.value.errors) == ["school_id"]
    with pytest.raises(Forbidden):
        observation_school("cleo", "tom", set(), None)


@dataclass(frozen=True)
class Record:
    status: str = SHARED
    privacy: str = REPORTABLE
    observer_id: str = "cleo"
    observee_id: str = "tom"
    school_id: str = ASH
    observed_on: date = date(2026, 3, 2)


@dataclass(frozen=True)
class Window:
    school_id: str
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _never_asked():
    raise AssertionError("the windows were looked up for a record the rule decides without them")


def test_a_draft_is_its_observers_alone():
    assert may_read("cleo", Record(status=DRAFT), set(), _never_asked)
    for reader in ("tom", "cara"):
        assert not may_read(reader, Record(status=DRAFT), {"cara"}, _never_asked)


def test_a_developmental_record_is_read_by_its_people_and_whom_the_observee_shared_it_with_only():
    record = Record(privacy=DEVELOPMENTAL, status=ACKNOWLEDGED)
    for reader in ("cleo", "tom", "cara"):
        assert may_read(reader, record, {"cara"}, _never_asked)
    assert not may_read("hana", record, {"cara"}, _never_asked)  # whatever her windows, never asked
    assert not may_read("lena", record, set(), lambda: None)  # no limit on a trust leader: still no


def test_a_reportable_record_is_read_where_and_when_a_window_covers_it():
    at_ash = [Window(ASH, date(2025, 9, 1), date(2026, 8, 31))]
    assert may_read("hana", Record(), set(), lambda: at_ash)
    assert not may_read("hana", Record(observed_on=date(2025, 3, 2)), set(), lambda: at_ash)  # before his time
    assert not may_read("hana", Record(school_id=BIRCH), set(), lambda: at_ash)
    assert not may_read("hana", Record(), set(), lambda: [])
    assert may_read("lena", Record(), set(), lambda: None)  # None: no limit

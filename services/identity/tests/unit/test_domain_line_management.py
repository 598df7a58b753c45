"""Line-management rules as plain rules: cycles, overlaps, ends, and what outlives an employment."""
from datetime import date

import pytest

from canopy_kit.errors import Conflict, Invalid
from identity.domain.line_management import check_assignment, check_end, end_before, outlives, would_cycle


def _chain(managed_by: dict[str, set[str]]):
    return lambda person: managed_by.get(person, set())


def test_a_cycle_is_found_however_far_up_the_chain():
    managed_by = {"tom": {"maya"}, "maya": {"hana"}, "hana": {"lena"}}
    assert would_cycle("lena", "tom", _chain(managed_by))  # tom managing lena: lena is above tom already
    assert would_cycle("hana", "tom", _chain(managed_by))
    assert not would_cycle("tom", "lena", _chain(managed_by))
    assert not would_cycle("cara", "tom", _chain(managed_by))


def test_a_chain_that_branches_and_rejoins_is_no_cycle():
    managed_by = {"tom": {"maya", "omar"}, "maya": {"hana"}, "omar": {"hana"}}
    assert not would_cycle("cara", "tom", _chain(managed_by))
    assert would_cycle("hana", "tom", _chain(managed_by))


def _assign(**changes):
    facts = {"person_id": "tom", "manager_id": "maya", "person_works_there": True, "manager_may_manage_there": True,
             "managers_of": _chain({})}
    check_assignment(**{**facts, **changes})


def _refused_field(**changes) -> str:
    with pytest.raises(Invalid) as refused:
        _assign(**changes)
    [field] = refused.value.errors
    return field


def test_an_assignment_between_colleagues_at_the_school_is_allowed():
    _assign()


def test_nobody_manages_themselves_whatever_else_is_wrong():
    assert _refused_field(manager_id="tom", person_works_there=False) == "manager_id"


def test_both_must_work_at_the_school_or_the_manager_hold_a_trust_role():
    assert _refused_field(person_works_there=False) == "school_id"
    assert _refused_field(manager_may_manage_there=False) == "manager_id"


def test_an_assignment_that_closes_a_circle_is_refused_and_the_chain_is_walked_only_when_needed():
    assert _refused_field(managers_of=_chain({"maya": {"tom"}})) == "manager_id"

    def never(_person):
        raise AssertionError("the chain was walked for an assignment refused already")

    assert _refused_field(person_works_there=False, managers_of=never) == "school_id"


def test_a_running_period_that_began_earlier_ends_the_day_before_the_new_one():
    assert end_before(starts_on=date(2025, 9, 1), existing_starts_on=date(2024, 9, 1), existing_ends_on=None) == \
        date(2025, 8, 31)


@pytest.mark.parametrize("existing_starts_on, existing_ends_on", [
    (date(2025, 9, 1), None),  # starts the same day
    (date(2025, 10, 1), None),  # starts later
    (date(2024, 9, 1), date(2025, 12, 31)),  # ends on a day of its own, after the new one starts
])
def test_any_other_overlap_is_a_conflict_naming_starts_on(existing_starts_on, existing_ends_on):
    with pytest.raises(Conflict) as refused:
        end_before(starts_on=date(2025, 9, 1), existing_starts_on=existing_starts_on, existing_ends_on=existing_ends_on)
    assert list(refused.value.errors) == ["starts_on"]
    assert existing_starts_on.isoformat() in refused.value.message


def test_a_period_ends_on_or_after_its_start_and_only_earlier_than_it_already_ended():
    check_end(starts_on=date(2024, 9, 1), ended_on=None, ends_on=date(2024, 9, 1))
    check_end(starts_on=date(2024, 9, 1), ended_on=date(2025, 8, 31), ends_on=date(2025, 7, 31))
    with pytest.raises(Invalid):
        check_end(starts_on=date(2024, 9, 1), ended_on=None, ends_on=date(2024, 8, 31))
    with pytest.raises(Conflict):
        check_end(starts_on=date(2024, 9, 1), ended_on=date(2025, 8, 31), ends_on=date(2025, 8, 31))


LAST_DAY = date(2025, 8, 31)


def test_a_period_ended_by_the_last_day_is_left_alone():
    assert not outlives(LAST_DAY, date(2024, 9, 1), LAST_DAY, lambda day: False)
    assert not outlives(LAST_DAY, date(2024, 9, 1), date(2025, 7, 31), lambda day: False)


def test_a_period_running_on_ends_with_the_employment_unless_another_keeps_them_there():
    assert outlives(LAST_DAY, date(2024, 9, 1), None, lambda day: False)
    assert outlives(LAST_DAY, date(2024, 9, 1), date(2025, 12, 31), lambda day: False)
    assert not outlives(LAST_DAY, date(2024, 9, 1), None, lambda day: True)


def test_a_period_starting_after_the_last_day_is_judged_on_its_own_first_day():
    asked = []

    def still_there(day):
        asked.append(day)
        return day < date(2025, 10, 1)

    assert not outlives(LAST_DAY, date(2025, 9, 15), None, still_there)
    assert outlives(LAST_DAY, date(2025, 10, 1), None, still_there)
    assert outlives(LAST_DAY, date(2024, 9, 1), None, lambda day: asked.append(day) or False)
    assert asked == [date(2025, 9, 15), date(2025, 10, 1), date(2025, 9, 1)]

"""Transfers and leavers as plain rules: no database, no app."""
from datetime import date
from decimal import Decimal

import pytest

from canopy_kit.errors import Conflict, Invalid
from identity.domain.transfers import Job, check_leaver, plan_transfer

ASH, BIRCH = "school-ash", "school-birch"
JOB = Job(person_id="tom", school_id=ASH, job_title="Teacher", staff_category="teaching", fte=Decimal("0.800"),
          starts_on=date(2024, 9, 1), ends_on=None)


def _field(refusal) -> str:
    [field] = refusal.value.errors
    return field


def test_a_transfer_ends_the_old_job_the_day_before_and_keeps_it_unless_told_otherwise():
    move = plan_transfer(JOB, person_id="tom", to_school_id=BIRCH, effective_on=date(2025, 9, 1))
    assert move.last_day == date(2025, 8, 31)
    assert (move.job_title, move.staff_category, move.fte) == ("Teacher", "teaching", Decimal("0.800"))
    changed = plan_transfer(JOB, person_id="tom", to_school_id=BIRCH, effective_on=date(2025, 9, 1),
                            job_title="Head of Year 7", staff_category="leadership", fte=Decimal("1"))
    assert (changed.job_title, changed.staff_category, changed.fte) == ("Head of Year 7", "leadership", Decimal("1"))


def test_a_transfer_across_a_new_year_ends_on_the_last_day_of_the_old_one():
    assert plan_transfer(JOB, person_id="tom", to_school_id=BIRCH, effective_on=date(2026, 1, 1)).last_day == \
        date(2025, 12, 31)


def test_someone_elses_employment_cannot_be_left():
    with pytest.raises(Invalid) as refused:
        plan_transfer(JOB, person_id="cara", to_school_id=BIRCH, effective_on=date(2025, 9, 1))
    assert _field(refused) == "from_employment_id"


def test_a_transfer_goes_to_another_school():
    with pytest.raises(Invalid) as refused:
        plan_transfer(JOB, person_id="tom", to_school_id=ASH, effective_on=date(2025, 9, 1))
    assert _field(refused) == "to_school_id"


@pytest.mark.parametrize("starts_on, ends_on, effective_on", [
    (date(2024, 9, 1), date(2025, 7, 31), date(2025, 9, 1)),  # it ended before the day before
    (date(2024, 9, 1), None, date(2024, 9, 1)),  # the day before, it had not started
    (date(2024, 9, 1), None, date(2024, 8, 1)),
])
def test_the_employment_left_must_run_on_the_day_before(starts_on, ends_on, effective_on):
    job = Job("tom", ASH, "Teacher", "teaching", Decimal(1), starts_on, ends_on)
    with pytest.raises(Invalid) as refused:
        plan_transfer(job, person_id="tom", to_school_id=BIRCH, effective_on=effective_on)
    assert _field(refused) == "effective_on"


def test_an_employment_ending_on_the_day_before_can_still_be_left():
    job = Job("tom", ASH, "Teacher", "teaching", Decimal(1), date(2024, 9, 1), date(2025, 8, 31))
    assert plan_transfer(job, person_id="tom", to_school_id=BIRCH, effective_on=date(2025, 9, 1)).last_day == \
        date(2025, 8, 31)


def test_a_leaver_is_recorded_on_or_after_the_last_day():
    check_leaver(last_day=date(2025, 7, 31), today=date(2025, 7, 31), starts_later=False)
    check_leaver(last_day=date(2025, 7, 31), today=date(2025, 9, 1), starts_later=False)
    with pytest.raises(Invalid) as refused:
        check_leaver(last_day=date(2025, 8, 1), today=date(2025, 7, 31), starts_later=False)
    assert _field(refused) == "last_day"


def test_a_leaver_with_an_employment_starting_later_is_refused():
    with pytest.raises(Conflict):
        check_leaver(last_day=date(2025, 7, 31), today=date(2025, 9, 1), starts_later=True)

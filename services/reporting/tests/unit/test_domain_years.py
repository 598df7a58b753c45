"""Academic years as reports name them: 1 September to 31 August, named by the year they start in."""
from datetime import date, timedelta

from reporting.domain.years import academic_year, bounds, current, label


def test_a_year_starts_on_the_first_of_september():
    assert academic_year(date(2025, 8, 31)) == 2024
    assert academic_year(date(2025, 9, 1)) == 2025
    assert academic_year(date(2026, 1, 15)) == 2025


def test_every_day_between_the_bounds_is_in_the_year_and_the_days_either_side_are_not():
    starts, ends = bounds(2025)
    assert (starts, ends) == (date(2025, 9, 1), date(2026, 8, 31))
    day = starts
    while day <= ends:
        assert academic_year(day) == 2025, day
        day += timedelta(days=1)
    assert academic_year(starts - timedelta(days=1)) == 2024 and academic_year(ends + timedelta(days=1)) == 2026


def test_labels_carry_the_second_year_in_two_digits():
    assert label(2025) == "2025-26"
    assert label(2009) == "2009-10"
    assert label(1999) == "1999-00"


def test_the_current_year_is_the_one_today_falls_in():
    assert current(date(2026, 3, 1)) == 2025
    assert current(date(2026, 9, 1)) == 2026
    assert current() == academic_year(date.today())

"""School years as every page reckons them: from 1 September, named by the year they start in."""
from datetime import date

from canopy_web.school_years import academic_year, as_day, in_year, year_bounds, year_label


def test_a_school_year_runs_from_september_and_is_named_by_its_first_year():
    assert academic_year(date(2026, 9, 1)) == 2026
    assert academic_year(date(2026, 8, 31)) == 2025
    assert academic_year(date(2027, 3, 1)) == 2026
    assert year_label(2025) == "2025-26"
    assert year_label(2099) == "2099-00"
    assert year_bounds(2025) == (date(2025, 9, 1), date(2026, 8, 31))


def test_a_year_holds_the_activities_that_start_in_it():
    activities = [{"starts_on": "2026-09-01"}, {"starts_on": "2026-08-31"}, {"starts_on": "2027-08-31"},
                  {"starts_on": "2027-09-01"}, {"starts_on": None}, {"starts_on": "someday"}]
    assert [a["starts_on"] for a in in_year(activities, 2026)] == ["2026-09-01", "2027-08-31"]


def test_a_day_is_read_from_an_api_date_or_moment_and_nothing_else():
    assert as_day("2026-12-07") == date(2026, 12, 7)
    assert as_day("2026-12-07T09:30:00+00:00") == date(2026, 12, 7)
    assert as_day("") is None and as_day(None) is None and as_day("7 Dec") is None

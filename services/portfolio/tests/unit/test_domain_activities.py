"""Activities' rules, without a database: dates, standards, and the school a record belongs to."""
from datetime import date

import pytest

from canopy_kit.errors import Invalid
from portfolio.domain.activities import check_dates, school_of_record, standard_codes


def test_an_activity_ends_on_or_after_its_first_day():
    check_dates(date(2025, 3, 10), date(2025, 3, 10))
    check_dates(date(2025, 3, 10), date(2025, 3, 14))
    with pytest.raises(Invalid) as backwards:
        check_dates(date(2025, 3, 10), date(2025, 3, 9))
    assert backwards.value.errors == {"ends_on": ["must not be before starts_on"]}


def test_standards_are_the_national_ones_each_once_in_order():
    assert standard_codes(["TS5", "TS3", "TS5"]) == ["TS3", "TS5"]
    assert standard_codes([]) == []
    with pytest.raises(Invalid) as unknown:
        standard_codes(["TS3", "TS99", "XX"])
    assert unknown.value.errors == {"linked_standards": ["unknown standards: TS99, XX"]}


def test_a_record_belongs_to_the_school_the_person_worked_at_that_day():
    assert school_of_record({"birch"}) == "birch"
    assert school_of_record({"cedar", "ash"}) == "ash"  # in two: the same one every time
    assert school_of_record(set()) is None  # between schools: kept by the person alone
    assert school_of_record({"ash", "birch"}, "birch") == "birch"
    with pytest.raises(Invalid) as elsewhere:
        school_of_record({"birch"}, "ash")
    assert list(elsewhere.value.errors) == ["school_id"]

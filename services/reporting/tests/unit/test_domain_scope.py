"""What a report's filters mean for who reads it: filters narrow, never widen; another trust's
school does not exist; the trust-wide rows are for an unfiltered reader of the whole trust."""
import pytest

from canopy_kit.errors import Forbidden, NotFound
from reporting.domain.scope import (
    ALL_SCHOOLS, NO_SCHOOL, NO_SCHOOL_ROW, TRUST_ROW, School, cell_school, narrow,
)

SCHOOLS = {"ash": School("ash", "Ash", "primary"), "birch": School("birch", "Birch", "primary"),
           "cedar": School("cedar", "Cedar", "secondary")}


def test_a_reader_of_the_trust_who_filters_nothing_sees_every_school_staff_at_none_and_the_trust():
    scope = narrow("t", SCHOOLS, None, whole_trust=True)
    assert scope.whole_trust and scope.trust_id == "t"
    assert scope.cell_schools() == ["ash", "birch", "cedar", NO_SCHOOL, ALL_SCHOOLS]


@pytest.mark.parametrize("filters, shown", [
    ({"phase": "primary"}, ["ash", "birch"]),
    ({"phase": "nursery"}, []),
    ({"school_id": "cedar"}, ["cedar"]),
    ({"school_id": "ash", "phase": "secondary"}, []),
])
def test_a_filter_selects_schools_and_drops_the_rows_of_no_one_school(filters, shown):
    scope = narrow("t", SCHOOLS, None, whole_trust=True, **filters)
    assert not scope.whole_trust
    assert scope.cell_schools() == shown


def test_a_school_reader_sees_their_schools_only_and_never_the_trust_as_a_whole():
    scope = narrow("t", SCHOOLS, {"ash"}, whole_trust=False)
    assert scope.cell_schools() == ["ash"]
    assert narrow("t", SCHOOLS, {"ash", "cedar"}, whole_trust=False, phase="primary").cell_schools() == ["ash"]


def test_a_school_reader_asking_for_another_school_is_forbidden_naming_the_field():
    with pytest.raises(Forbidden) as refused:
        narrow("t", SCHOOLS, {"ash"}, whole_trust=False, school_id="birch")
    assert refused.value.errors == {"school_id": ["you may read the reports of your own school only"]}


@pytest.mark.parametrize("readable, whole_trust", [(None, True), ({"ash"}, False)])
def test_a_school_not_of_the_trust_does_not_exist_for_any_reader(readable, whole_trust):
    with pytest.raises(NotFound) as refused:
        narrow("t", SCHOOLS, readable, whole_trust=whole_trust, school_id="elsewhere")
    assert refused.value.errors == {"school_id": ["no such school in your trust"]}


def test_suppression_is_decided_on_the_whole_trust_whatever_was_chosen():
    population = narrow("t", SCHOOLS, {"ash"}, whole_trust=False).population()
    assert population.whole_trust
    assert population.cell_schools() == ["ash", "birch", "cedar", NO_SCHOOL, ALL_SCHOOLS]


def test_rows_are_labelled_by_their_school_the_trust_or_no_school():
    scope = narrow("t", SCHOOLS, None, whole_trust=True)
    assert scope.label("birch") == SCHOOLS["birch"]
    assert scope.label(ALL_SCHOOLS) == TRUST_ROW
    assert scope.label(NO_SCHOOL) == NO_SCHOOL_ROW


def test_a_fact_recorded_at_no_school_is_counted_at_a_cell_of_its_own():
    assert cell_school(None) == NO_SCHOOL
    assert cell_school("ash") == "ash"

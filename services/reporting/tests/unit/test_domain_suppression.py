"""Blanking a report's rows: every figure taken from a hidden cell, and only those."""
from reporting.domain.suppression import suppress

SOURCES = {"obs_school": ("observed", "records"), "cpd_school": ("with_cpd",)}


def rows():
    return [{"school_id": "ash", "observed": 2, "records": 3, "with_cpd": 7, "staff": 9},
            {"school_id": "birch", "observed": 5, "records": 6, "with_cpd": 1, "staff": 8}]


def test_only_the_figures_of_a_hidden_cell_are_blanked_and_the_row_says_so():
    ash, birch = suppress(rows(), {("obs_school", "ash", ""), ("cpd_school", "birch", "")}, SOURCES)
    assert ash == {"school_id": "ash", "observed": None, "records": None, "with_cpd": 7, "staff": 9,
                   "suppressed": True}
    assert birch == {"school_id": "birch", "observed": 5, "records": 6, "with_cpd": None, "staff": 8,
                     "suppressed": True}


def test_nothing_hidden_blanks_nothing():
    assert all(row["suppressed"] is False and row["observed"] for row in suppress(rows(), set(), SOURCES))


def test_a_cell_is_told_apart_by_the_rows_dimension():
    shown = [{"school_id": "ash", "stage": "immediate", "reaction": 4.0},
             {"school_id": "ash", "stage": "follow_up", "reaction": 3.0}]
    immediate, follow_up = suppress(shown, {("impact", "ash", "follow_up")}, {"impact": ("reaction",)}, "stage")
    assert (immediate["suppressed"], immediate["reaction"]) == (False, 4.0)
    assert (follow_up["suppressed"], follow_up["reaction"]) == (True, None)

"""Impact evaluations' rules, without a database: when each stage is due, what it requires, whose it is."""
from datetime import date

import pytest

from canopy_kit.errors import Conflict, Forbidden, Invalid
from portfolio.domain.evaluations import Evaluation, check_submission, due_dates, required_ratings


def test_the_follow_up_falls_due_the_given_weeks_after_the_activity_ends():
    assert due_dates(date(2025, 3, 10), 6) == {"immediate": date(2025, 3, 10), "follow_up": date(2025, 4, 21)}
    assert due_dates(date(2025, 12, 19), 2)["follow_up"] == date(2026, 1, 2)  # across the year's end


def test_each_stage_requires_its_own_ratings():
    assert required_ratings("immediate") == ("reaction", "learning")
    assert required_ratings("follow_up") == ("use_in_practice",)  # pupil outcomes where known


@pytest.mark.parametrize("stage, answers, missing", [
    ("immediate", {"reaction": 5}, "learning"),
    ("immediate", {"learning": 4, "use_in_practice": 3}, "reaction"),
    ("follow_up", {"reaction": 5, "learning": 5, "pupil_outcomes": 3}, "use_in_practice"),
])
def test_a_missing_rating_is_refused_naming_it(stage, answers, missing):
    with pytest.raises(Invalid) as refused:
        check_submission(Evaluation("pia", stage, submitted=False), "pia", answers)
    assert refused.value.errors == {missing: [f"is required for the {stage.replace('_', '-')} evaluation"]}


def test_a_complete_evaluation_of_ones_own_is_accepted_once():
    check_submission(Evaluation("pia", "follow_up", submitted=False), "pia", {"use_in_practice": 4})
    with pytest.raises(Conflict):
        check_submission(Evaluation("pia", "follow_up", submitted=True), "pia", {"use_in_practice": 4})
    with pytest.raises(Forbidden):
        check_submission(Evaluation("pia", "immediate", submitted=False), "hal", {"reaction": 1, "learning": 1})


def test_whose_it_is_comes_before_what_it_lacks():
    with pytest.raises(Forbidden):
        check_submission(Evaluation("pia", "immediate", submitted=True), "hal", {})

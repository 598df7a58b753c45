"""What of an observation reports count: reportable records out of draft, ratings as strengths or
things to develop."""
import pytest

from reporting.domain.observations import counts_in_reports, is_strength, needs_development


@pytest.mark.parametrize("privacy, status, counted", [
    ("reportable", "shared", True), ("reportable", "acknowledged", True), ("reportable", "draft", False),
    ("developmental", "shared", False), ("developmental", "draft", False),
])
def test_only_reportable_records_that_left_draft_count(privacy, status, counted):
    assert counts_in_reports(privacy, status) is counted


@pytest.mark.parametrize("normalised, strength, develop", [
    (1.0, True, False), (0.75, True, False), (0.74, False, False), (0.5, False, False), (0.49, False, True),
    (0.0, False, True),
])
def test_a_rating_is_a_strength_something_to_develop_or_neither(normalised, strength, develop):
    assert (is_strength(normalised), needs_development(normalised)) == (strength, develop)

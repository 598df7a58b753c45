"""Schemathesis sends generated and malformed requests to every operation, as the observer and as
a trust admin: none may answer 500, and every error is the documented error body."""
import pytest

from canopy_kit.testing.fuzz import fuzz_operations


@pytest.mark.parametrize("caller", ["coach", "admin"])
def test_no_input_makes_observation_answer_500(observation, trust, form, caller):
    report = fuzz_operations(observation.client.application, trust.headers(getattr(trust, caller)), max_examples=6)
    assert report.failures == [] and report.bad_errors == []
    labels = {label for label, _status in report.seen}
    assert "POST /v1/records" in labels and "PUT /v1/templates/{template_id}/draft" in labels

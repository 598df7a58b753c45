"""The fuzz tier (canopy_kit.testing.fuzz): every phase and check of schemathesis against
observation's own document, as a trust admin, a headteacher, a coach, a teacher and with no
token, on a small trust with a published form: no 5xx, and every answer as documented."""
import pytest

from canopy_kit.testing.fuzz import fuzz_service

pytestmark = pytest.mark.fuzz


def test_no_request_makes_observation_fail_or_stray_from_its_document(observation, trust, form):
    report = fuzz_service(observation.client.application, {
        "trust admin": trust.headers(trust.admin), "headteacher": trust.headers(trust.head_a),
        "coach": trust.headers(trust.coach), "teacher": trust.headers(trust.teacher), "no token": None})
    assert report.failing() == [], report.describe()
    assert report.errors == [] and report.transitions > 0 and report.scenarios["stateful"] > 0
    assert {"POST /v1/records", "PUT /v1/templates/{template_id}/draft"} <= report.operations

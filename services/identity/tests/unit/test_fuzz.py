"""The fuzz tier (canopy_kit.testing.fuzz): every phase and check of schemathesis against
identity's own document, as a trust admin, a headteacher, a teacher and with no token, on a small
trust: no 5xx, and every answer as documented."""
import pytest

from canopy_kit.testing.fuzz import fuzz_service

pytestmark = pytest.mark.fuzz


def test_no_request_makes_identity_fail_or_stray_from_its_document(identity, trust):
    report = fuzz_service(identity.client.application, {
        "trust admin": trust.headers(trust.admin), "headteacher": trust.headers(trust.head_a),
        "teacher": trust.headers(trust.teacher), "no token": None})
    assert report.failing() == [], report.describe()
    assert report.errors == [] and report.transitions > 0 and report.scenarios["stateful"] > 0
    assert {"POST /v1/auth/login", "GET /v1/schools/{school_id}", "POST /v1/people"} <= report.operations

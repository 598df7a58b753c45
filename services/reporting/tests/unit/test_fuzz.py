"""The fuzz tier (canopy_kit.testing.fuzz): every phase and check of schemathesis against
reporting's own document, as a trust leader, a headteacher, a CPD lead, a teacher and with no
token, on a small trust with activities to report: no 5xx, and every answer as documented."""
import pytest

from canopy_kit.testing.fuzz import fuzz_service

pytestmark = pytest.mark.fuzz


def test_no_request_makes_reporting_fail_or_stray_from_its_document(trust):
    trust.service.feed(trust.trust_id, [trust.activity(p, "Ash") for p in trust.staff["Ash"]])
    report = fuzz_service(trust.service.client.application, {
        "trust leader": trust.headers(trust.leader), "headteacher": trust.headers(trust.head["Ash"]),
        "CPD lead": trust.headers(trust.cpd_lead), "teacher": trust.headers(trust.teacher), "no token": None})
    assert report.failing() == [], report.describe()
    assert report.errors == [] and report.scenarios["coverage"] > 0
    assert {"GET /v1/reports/cpd", "GET /v1/reports/observations"} <= report.operations

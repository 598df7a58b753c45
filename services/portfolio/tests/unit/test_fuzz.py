"""The fuzz tier (canopy_kit.testing.fuzz): every phase and check of schemathesis against
portfolio's own document, as a teacher, a headteacher, a CPD lead, a trust leader and with no
token, on a small trust with a request and a course to find: no 5xx, and every answer as documented."""
import pytest

from canopy_kit.testing.fuzz import fuzz_service

pytestmark = pytest.mark.fuzz


def test_no_request_makes_portfolio_fail_or_stray_from_its_document(portfolio):
    p = portfolio
    p.post(p.pia, "/v1/cpd-requests", {"title": "NPQ", "activity_type": "qualification", "starts_on": "2030-01-07",
                                       "ends_on": "2030-01-07", "hours": 12, "cost": 150, "cover_needed": False,
                                       "reason": "Literacy"})
    p.post(p.lead, "/v1/programme/courses", {"title": "Coaching", "hours": 3, "sessions": [
        {"held_on": "2030-01-08", "location": "Ash hall", "places": 2}]})
    report = fuzz_service(p.client.application, {
        "teacher": p.as_(p.pia), "headteacher": p.as_(p.hal), "CPD lead": p.as_(p.cleo),
        "trust leader": p.as_(p.lead), "no token": None})
    assert report.failing() == [], report.describe()
    assert report.errors == [] and report.transitions > 0 and report.scenarios["stateful"] > 0
    assert "GET /v1/cpd-requests/{request_id}" in report.operations

"""Generated and malformed requests to every report, as a trust leader and as a headteacher: none
may answer 500, and every error is the documented error body."""
import pytest

from canopy_kit.testing.fuzz import fuzz_operations


@pytest.mark.parametrize("caller", ["leader", "head"])
def test_no_input_makes_reporting_answer_500(trust, caller):
    trust.service.feed(trust.trust_id, [trust.activity(p, "Ash") for p in trust.staff["Ash"]])
    person = trust.leader if caller == "leader" else trust.head["Ash"]
    report = fuzz_operations(trust.service.client.application, trust.headers(person), max_examples=8)
    assert report.failures == [] and report.bad_errors == [] and report.unsupported == set()
    assert ("GET /v1/reports/cpd", 200) in report.seen and ("GET /v1/reports/cpd", 422) in report.seen

"""Reporting takes ids only in queries: a report's ``school_id``, found in the OpenAPI document by
its declared kind, is refused as another trust's or an unknown school, naming the field
(``canopy_kit.testing.tenancy``). A new report taking ids fails here until it has an example."""
import pytest

from canopy_kit.testing.tenancy import Call, document_problems, probe_operation

REPORTS = ("observations", "cpd", "cpd-types", "impact", "cpd-requests", "participation")
EXAMPLES = {f"GET /v1/reports/{name}": (lambda w, name=name: [Call(w.headers(w.leader), f"/v1/reports/{name}")])
            for name in REPORTS}


@pytest.fixture
def world(trust, make_trust):
    make_trust(slug="elm")  # another trust's schools, to send
    return trust


def test_every_id_a_request_takes_declares_its_kind_and_is_probed(reporting):
    assert document_problems(reporting.client, reporting.runtime, EXAMPLES) == []


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_another_trusts_or_an_unknown_id_is_refused_and_writes_nothing(reporting, world, operation):
    assert probe_operation(reporting.client, reporting.runtime, operation, EXAMPLES[operation](world)) == []

"""Schemathesis sends generated and malformed requests to every operation: none may answer 500,
and every error is the documented error body."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.errors import UnsupportedSchema


def test_no_input_makes_portfolio_answer_500(portfolio):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", portfolio.client.application)
    headers = portfolio.as_(portfolio.pia)
    failures, unsupported = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append((operation.label, case.path_parameters, response.text[:300]))
                elif response.status_code >= 400 and response.headers.get("Content-Type", "").startswith(
                        "application/json"):
                    assert set(response.json()) == {"code", "status", "message", "errors"}, operation.label

            try:
                check()
            except Unsatisfiable:
                pass  # nothing to break in an operation without inputs
            except UnsupportedSchema:
                unsupported.add(operation.label)
    assert failures == []
    assert unsupported <= {"POST /v1/people/{person_id}/evidence"}  # a file upload; tested by hand

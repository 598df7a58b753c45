"""Schemathesis sends generated and malformed requests to every operation, as the observer and as
a trust admin: none may answer 500, and every error is the documented error body."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable


@pytest.mark.parametrize("caller", ["coach", "admin"])
def test_no_input_makes_observation_answer_500(observation, trust, form, caller):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", observation.client.application)
    headers = trust.headers(getattr(trust, caller))
    failures, seen = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @hypothesis_settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                response = case.call(headers=headers)
                seen.add(operation.label)
                if response.status_code >= 500:
                    failures.append((operation.label, response.status_code, case.body, response.text[:200]))
                elif response.status_code >= 400:
                    assert set(response.json()) == {"code", "status", "message", "errors"}, operation.label

            try:
                check()
            except Unsatisfiable:
                assert mode is schemathesis.GenerationMode.NEGATIVE
    assert failures == []
    assert "POST /v1/records" in seen and "PUT /v1/templates/{template_id}/draft" in seen

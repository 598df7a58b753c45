"""Schemathesis against a service's own OpenAPI document: generated and malformed requests to every
operation. What every service's fuzz test asserts: no input makes it answer 500, and every JSON
error is the one documented error body."""
from __future__ import annotations

from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.errors import UnsupportedSchema

ERROR_FIELDS = {"code", "status", "message", "errors"}


@dataclass
class FuzzReport:
    failures: list = field(default_factory=list)  # (operation, status, body excerpt) of every 5xx
    bad_errors: list = field(default_factory=list)  # (operation, body) of errors not in the documented shape
    seen: set = field(default_factory=set)  # (operation, status) answered
    unsupported: set = field(default_factory=set)  # operations schemathesis cannot generate for (uploads)


def fuzz_operations(app, headers: dict | None = None, *, max_examples: int = 10) -> FuzzReport:
    """Every operation of ``app``, positive and negative cases, as the caller ``headers`` names."""
    report = FuzzReport()
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                response = case.call(headers=headers)
                report.seen.add((operation.label, response.status_code))
                if response.status_code >= 500:
                    report.failures.append((operation.label, response.status_code, response.text[:300]))
                elif response.status_code >= 400 and response.headers.get("Content-Type", "").startswith(
                        "application/json") and set(response.json()) != ERROR_FIELDS:
                    report.bad_errors.append((operation.label, response.text[:300]))

            try:
                check()
            except Unsatisfiable:
                pass  # nothing to break in an operation without inputs
            except UnsupportedSchema:
                report.unsupported.add(operation.label)
    return report

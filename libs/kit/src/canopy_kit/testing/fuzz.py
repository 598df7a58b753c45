"""The fuzz tier: schemathesis's engine (the one its command line runs) against a service's own
OpenAPI document, in process (the Flask app through WSGI, no server), once for each caller.

Every phase runs: the document's examples; coverage (boundary and invalid values of every
parameter and body field); fuzzing with positive and negative data, reusing ids that earlier
answers returned; and stateful sequences along the links schemathesis infers from the document
(the id a POST or a list answers, used by the next request). Every check runs. ``BAR`` names the
checks a run must pass without a single failure; the others (a valid request refused by a
permission rule, say) are reported, since a caller's role legitimately turns many down.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Mapping
from unittest import mock

import schemathesis
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.transport.wsgi import WSGITransport

# No answer is a 5xx, every answer is what the document says (status, content type, schema,
# headers), and no operation that requires a token serves a request without one.
BAR = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
       "response_schema_conformance", "response_headers_conformance", "ignored_auth")
# A request valid by the document may still be refused by a rule it cannot express: a permission
# (403), another trust's or a made-up id (404), a conflict (409), a stale ETag (412), a
# cross-field rule such as an end before a start (422).
ACCEPTED_REFUSALS = ["2xx", "401", "403", "404", "409", "412", "422", "429"]


@dataclass(frozen=True)
class Finding:
    caller: str
    operation: str  # "POST /v1/records"
    check: str  # the schemathesis check that failed
    message: str  # what it saw, and a command reproducing it


@dataclass
class FuzzReport:
    findings: list[Finding] = field(default_factory=list)
    scenarios: Counter = field(default_factory=Counter)  # phase -> scenarios run, over every caller
    operations: set[str] = field(default_factory=set)  # operations that were sent requests
    transitions: int = 0  # links inferred for the stateful phase
    errors: list[str] = field(default_factory=list)  # the engine's own errors (a schema it cannot use)

    def failing(self, checks=BAR) -> list[Finding]:
        return [f for f in self.findings if f.check in checks]

    def describe(self, findings: list[Finding] | None = None, limit: int = 15) -> str:
        shown = self.failing() if findings is None else findings
        counts = Counter((f.check, f.operation) for f in shown)
        lines = [f"{n} x {check} on {operation}" for (check, operation), n in counts.most_common()]
        lines += [f"--- {f.caller}, {f.operation}, {f.check}:\n{f.message}" for f in shown[:limit]]
        return "\n".join([*self.errors, *lines])


def _config(headers: Mapping[str, str] | None, *, coverage: bool, max_examples: int, stateful_steps: int,
            seed: int):
    return SchemathesisConfig.from_dict({
        "seed": seed,
        "cache": {"enabled": False},
        # Hypothesis's health checks judge speed and filtering: on a busy test machine they would
        # fail a run that found nothing wrong.
        "suppress-health-check": ["all"],
        # The document's servers entry is relative to where it is served; in process that is here.
        "base-url": "http://localhost",
        "headers": dict(headers or {}),
        "generation": {"mode": "all", "max-examples": max_examples, "database": "none"},
        "phases": {"coverage": {"enabled": coverage}, "stateful": {"max-steps": stateful_steps}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_REFUSALS}},
    })


def _record(report: FuzzReport, caller: str, event) -> None:
    report.scenarios[event.phase.value] += 1
    for case_id, checks in event.recorder.checks.items():
        case = event.recorder.cases.get(case_id)
        if case is not None:
            report.operations.add(case.value.operation.label)
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                report.findings.append(Finding(caller, case.value.operation.label if case else event.recorder.label,
                                               check.name, f"{failure.title}: {failure.message}\n"
                                                           f"{check.failure_info.code_sample}"))


@contextmanager
def _probes_in_process():
    """schemathesis 4.32 sends the ``ignored_auth`` check's probe (the request again, without its
    token) through the WSGI transport with the run's socket settings, which werkzeug refuses, so
    the check errs instead of running. In process they mean nothing: dropped, as the transport
    itself drops them when it is given a session."""
    send = WSGITransport.send

    def without_socket_settings(self, case, *, session=None, **kwargs):
        if session is None:
            for name in ("max_redirects", "verify", "cert", "proxies"):
                kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    with mock.patch.object(WSGITransport, "send", without_socket_settings):
        yield


def fuzz_service(app, callers: Mapping[str, Mapping[str, str] | None], *, max_examples: int = 4,
                 stateful_steps: int = 4, seed: int = 20261201) -> FuzzReport:
    """Every operation of ``app``'s document, every check, as each caller (name -> headers; None
    sends no token). The first caller also runs the coverage phase: it is the slowest, and what it
    probes (every field's bounds and wrong types) is checked before any rule about who asks.
    Bounded by ``max_examples`` per operation and phase and ``stateful_steps`` per sequence, with
    a fixed seed so that a failure repeats."""
    report = FuzzReport()
    for index, (caller, headers) in enumerate(callers.items()):
        config = _config(headers, coverage=index == 0, max_examples=max_examples, stateful_steps=stateful_steps,
                         seed=seed)
        schema = schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)
        with _probes_in_process():
            run = list(engine.from_schema(schema).execute())
        for event in run:
            if isinstance(event, events.ScenarioFinished):
                _record(report, caller, event)
            elif isinstance(event, events.PhaseStarted) and event.payload is not None:
                report.transitions = max(report.transitions, event.payload.inferred_transitions)
            elif isinstance(event, events.NonFatalError):
                report.errors.append(f"{caller}, {event.label}: {event.info.message}")
            elif isinstance(event, events.FatalError):
                report.errors.append(f"{caller}: {event.exception!r}")
    return report

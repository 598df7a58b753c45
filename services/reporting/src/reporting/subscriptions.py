"""What reporting consumes: identity's events (the directory: schools, phases, who works where, who
may read which report), observation's records and frameworks, portfolio's activities, evaluations
and CPD requests with their decisions. Every event it receives is also appended to ``event_log``
first, so that the read models can be rebuilt from it (``canopy reporting replay``)."""
from __future__ import annotations

from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import subscribe_directory
from reporting.event_handlers import cpd, observations
from reporting.event_handlers.event_log import log_events

RECORD_EVENTS = ("observation.record.recorded", "observation.record.shared", "observation.record.acknowledged")


def read_models() -> Subscriptions:
    """The handlers that build the read models, without the log (what a replay runs)."""
    subs = subscribe_directory(Subscriptions())
    for event_type in RECORD_EVENTS:
        subs.on_many(event_type)(observations.records_changed)
    subs.on_many("observation.framework.published")(observations.framework_published)
    subs.on_many("portfolio.cpd.recorded")(cpd.activities_changed)
    subs.on_many("portfolio.cpd.updated")(cpd.activities_changed)
    subs.on_many("portfolio.evaluation.submitted")(cpd.evaluations_submitted)
    subs.on_many("portfolio.cpd_request.submitted")(cpd.requests_submitted)
    subs.on_many("portfolio.cpd_request.decided")(cpd.requests_decided)
    return subs


def subscriptions() -> Subscriptions:
    subs = read_models()
    for event_type in subs.routing_keys:
        subs.on_many(event_type)(log_events)
    return subs

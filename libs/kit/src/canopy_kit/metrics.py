"""Prometheus metrics shared by every process kind (api, relay, consumer).

Built on first use rather than at import. Under gunicorn, prometheus-client's multiprocess mode is
on when ``PROMETHEUS_MULTIPROC_DIR`` is set (the gunicorn config sets it and cleans up after dead
workers); gauges then report the live maximum across processes.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client import multiprocess

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


@dataclass(frozen=True)
class Metrics:
    http_requests: Counter
    http_latency: Histogram
    events_published: Counter
    events_consumed: Counter
    handler_latency: Histogram
    outbox_backlog: Gauge
    outbox_oldest_age: Gauge
    consumer_lag: Gauge
    broker_reachable: Gauge


_built: Metrics | None = None
_building = threading.Lock()


def metrics() -> Metrics:
    """The process's metrics, registered once: the threads of a freshly forked worker may all ask
    at the same moment (``lru_cache`` did not stop two of them registering, and the second failed
    after its request had committed). The app factory and the workers build them before serving."""
    global _built
    if _built is None:
        with _building:
            if _built is None:
                _built = _build()
    return _built


def _build() -> Metrics:
    return Metrics(
        http_requests=Counter(
            "canopy_http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
        ),
        http_latency=Histogram(
            "canopy_http_request_duration_seconds", "HTTP request latency", ["service", "method", "route"],
            buckets=LATENCY_BUCKETS,
        ),
        events_published=Counter(
            "canopy_events_published_total", "Events confirmed by the broker", ["service", "event_type"]
        ),
        events_consumed=Counter(
            "canopy_events_consumed_total",
            "Events received, by outcome (handled, duplicate, retried, dead_lettered, invalid)",
            ["service", "event_type", "outcome"],
        ),
        handler_latency=Histogram(
            "canopy_event_handler_duration_seconds", "Event handler latency", ["service", "event_type"],
            buckets=LATENCY_BUCKETS,
        ),
        outbox_backlog=Gauge(
            "canopy_outbox_backlog", "Unpublished outbox rows", ["service"], multiprocess_mode="livemax"
        ),
        outbox_oldest_age=Gauge(
            "canopy_outbox_oldest_unpublished_age_seconds", "Age of the oldest unpublished outbox row",
            ["service"], multiprocess_mode="livemax",
        ),
        consumer_lag=Gauge(
            "canopy_consumer_lag_seconds", "Time from an event's occurrence to its handling, last seen",
            ["service"], multiprocess_mode="livemax",
        ),
        broker_reachable=Gauge(
            "canopy_broker_reachable", "1 when the API's last check reached the broker, else 0",
            ["service"], multiprocess_mode="livemostrecent",
        ),
    )


def exposition() -> tuple[bytes, str]:
    """The text a scrape of ``/metrics`` returns, merged across processes when multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST


def serve_metrics(port: int | None) -> None:
    """Expose ``/metrics`` from a relay or consumer process on its own port."""
    if port:
        start_http_server(port, addr=os.environ.get("METRICS_ADDR", "0.0.0.0"))

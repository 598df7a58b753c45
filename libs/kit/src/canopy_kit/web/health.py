"""Health as Kubernetes reads it.

- ``/health/live``: the process answers. A failing liveness probe restarts the pod, so nothing
  outside the process may fail it.
- ``/health/ready``: the API can serve, which needs its database and nothing else: 503 with
  ``Retry-After`` only when the database does not answer. The broker and the outbox are reported
  in the body as ``degraded`` (``status`` and a reason per check) but never make the API unready:
  writes go on into the outbox while the broker is away, and a RabbitMQ blip must not take every
  API out of its Service. They are watched as metrics instead (``canopy_broker_reachable``, set
  here and on every scrape of ``/metrics``; the relay's ``canopy_outbox_oldest_unpublished_age_seconds``)
  with alerts in ``deploy/prometheus/alerts.yml``.
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from canopy_kit.bus.connection import open_connection, transport_of
from canopy_kit.bus.relay import outbox_backlog
from canopy_kit.metrics import metrics

BROKER_CHECK_CACHE_SECONDS = 5.0
BROKER_TIMEOUT_SECONDS = 2
UNAVAILABLE_RETRY_AFTER = "5"


class BrokerProbe:
    """Connecting to the broker costs a few ms; remember the answer for a few seconds."""

    def __init__(self, bus_url: str):
        self.bus_url = bus_url
        self._checked_at = 0.0
        self._result: tuple[bool, str] = (False, "not checked")

    def check(self) -> tuple[bool, str]:
        if time.monotonic() - self._checked_at < BROKER_CHECK_CACHE_SECONDS:
            return self._result
        try:
            with open_connection(self.bus_url) as connection:
                if transport_of(self.bus_url) == "amqp":
                    connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
                else:
                    connection.default_channel  # creates the transport's folders if missing
            self._result = (True, "ok")
        except Exception as exc:
            self._result = (False, f"unreachable: {type(exc).__name__}: {exc}"[:300])
        self._checked_at = time.monotonic()
        return self._result


def observe_broker(kit) -> tuple[bool, str]:
    """Check the broker (cached) and publish the answer as ``canopy_broker_reachable``."""
    ok, detail = kit.broker_probe.check()
    metrics().broker_reachable.labels(kit.settings.service).set(1 if ok else 0)
    return ok, detail


def readiness(kit) -> tuple[int, dict]:
    """The status code and body of ``/health/ready``."""
    checks: dict[str, str] = {}
    try:
        with kit.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            _count, age = outbox_backlog(conn)
        checks["database"] = "ok"
        stuck = age > kit.settings.outbox_stuck_seconds
        checks["outbox"] = f"degraded: the oldest unpublished event is {age:.0f}s old" if stuck else "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["outbox"] = "unknown: the database does not answer"
    broker_ok, checks["broker"] = observe_broker(kit)
    if checks["database"] != "ok":
        return 503, {"status": "unavailable", "checks": checks}
    degraded = not broker_ok or checks["outbox"] != "ok"
    return 200, {"status": "degraded" if degraded else "ok", "checks": checks}


def health_blueprint() -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/health/live")
    def live():
        return jsonify(status="ok")

    @blueprint.get("/health/ready")
    def ready():
        status, body = readiness(current_app.extensions["canopy"])
        response = jsonify(body)
        response.status_code = status
        if status == 503:
            response.headers["Retry-After"] = UNAVAILABLE_RETRY_AFTER
        return response

    return blueprint

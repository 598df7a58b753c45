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

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from canopy_kit.bus.relay import outbox_backlog
from canopy_kit.metrics import metrics

UNAVAILABLE_RETRY_AFTER = "5"


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

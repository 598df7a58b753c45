"""``/health/live`` (the process answers) and ``/health/ready`` (it can do its job: database and
broker reachable, outbox not stuck). Ready answers 503 with ``Retry-After`` otherwise."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select, text

from canopy_kit.bus.connection import open_connection, transport_of
from canopy_kit.db.tables import outbox

BROKER_CHECK_CACHE_SECONDS = 5.0


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
            if transport_of(self.bus_url) == "amqp":
                with open_connection(self.bus_url) as connection:
                    connection.ensure_connection(max_retries=1, timeout=2)
            else:
                with open_connection(self.bus_url) as connection:
                    connection.default_channel  # creates the transport's folders if missing
            self._result = (True, "ok")
        except Exception as exc:
            self._result = (False, f"{type(exc).__name__}: {exc}")
        self._checked_at = time.monotonic()
        return self._result


def health_blueprint() -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/health/live")
    def live():
        return jsonify(status="ok")

    @blueprint.get("/health/ready")
    def ready():
        kit = current_app.extensions["canopy"]
        checks: dict[str, str] = {}
        healthy = True
        try:
            with kit.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                oldest = conn.execute(select(func.min(outbox.c.created_at))
                                      .where(outbox.c.published_at.is_(None))).scalar()
            checks["database"] = "ok"
            if oldest is not None:
                oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
                age = (datetime.now(timezone.utc) - oldest).total_seconds()
                stuck = age > kit.settings.outbox_stuck_seconds
                checks["outbox"] = f"oldest unpublished event is {age:.0f}s old" if stuck else "ok"
                healthy &= not stuck
            else:
                checks["outbox"] = "ok"
        except Exception as exc:
            checks["database"] = f"{type(exc).__name__}"
            healthy = False
        ok, detail = kit.broker_probe.check()
        checks["broker"] = detail
        healthy &= ok
        response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
        if not healthy:
            response.status_code = 503
            response.headers["Retry-After"] = "5"
        return response

    return blueprint

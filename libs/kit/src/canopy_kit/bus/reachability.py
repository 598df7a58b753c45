"""Is the broker there? Asked by readiness and by every scrape of ``/metrics``, so answered from
a short cache: connecting costs a few milliseconds, and a probe must not load the broker."""
from __future__ import annotations

import time

from canopy_kit.bus.connection import open_connection, transport_of

BROKER_CHECK_CACHE_SECONDS = 5.0
BROKER_TIMEOUT_SECONDS = 2


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

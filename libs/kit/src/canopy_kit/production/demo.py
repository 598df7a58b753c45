"""Demo data for the local production run, loaded once the platform answers (as ``canopy up``
does): identity's first, then what other services build on identity's events, which a service's
loader reports as ``pending`` until its directory has been projected. Those are asked again once
every outbox is published and every consumer's queue is empty, so they never load half a directory.
"""
from __future__ import annotations

import logging
import time
from typing import Mapping

from canopy_kit.settings import Settings

log = logging.getLogger("canopy.up-prod")

DEMO_WAIT_SECONDS = 120
RETRY_EVERY_SECONDS = 2.0


def _load(name: str, spec, env: Mapping[str, str]) -> dict:
    from canopy_kit.service import Runtime

    runtime = Runtime(spec, Settings.from_env(name, env))
    try:
        return spec.load_demo(runtime)
    finally:
        runtime.dispose()


def _settled(services: Mapping, env: Mapping[str, str]) -> bool:
    """No unpublished outbox row anywhere, and nothing waiting in any consumer's queue."""
    from sqlalchemy import create_engine, func, select

    from canopy_kit.bus.connection import open_connection
    from canopy_kit.db.tables import outbox

    for name, spec in services.items():
        settings = Settings.from_env(name, env)
        engine = create_engine(settings.database_url)
        try:
            with engine.connect() as conn:
                unpublished = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                if conn.execute(unpublished).scalar():
                    return False
        finally:
            engine.dispose()
        if spec.subscriptions().routing_keys:
            with open_connection(settings.bus_url) as connection:
                queue = settings.queue_name(name)
                if connection.channel().queue_declare(queue, passive=True).message_count:
                    return False
    return True


class DemoLoader:
    def __init__(self, services: Mapping, env: Mapping[str, str]):
        self.all_services = services
        self.services = {name: spec for name, spec in services.items() if spec.load_demo is not None}
        self.env = env
        self.pending: list[str] = []
        self.give_up_at = 0.0
        self.next_try = 0.0

    def load(self) -> list[dict]:
        """Every service's demo data (idempotent); returns the logins to show."""
        logins = []
        for name, spec in self.services.items():
            try:
                result = _load(name, spec, self.env)
            except Exception:  # the platform runs on without its demo data
                log.exception("%s: demo data not loaded", name)
                continue
            logins.extend(result.get("logins", []))
            if result.get("pending"):
                self.pending.append(name)
        self.give_up_at = time.monotonic() + DEMO_WAIT_SECONDS
        return logins

    def retry_pending(self) -> None:
        """Called now and then: loads what waited, once the events so far are all delivered."""
        now = time.monotonic()
        if not self.pending or now < self.next_try:
            return
        self.next_try = now + RETRY_EVERY_SECONDS
        try:
            self._retry(now)
        except Exception as exc:  # a server blinked: ask again next time
            log.warning("demo data waits: %s: %s", type(exc).__name__, exc)

    def _retry(self, now: float) -> None:
        if now > self.give_up_at:
            log.warning("demo data not loaded (its events never arrived): %s", ", ".join(self.pending))
            self.pending = []
            return
        # Twice, a moment apart: a message being handled is in no queue and no outbox.
        if not (_settled(self.all_services, self.env) and (time.sleep(1.0) or _settled(self.all_services, self.env))):
            return
        still = []
        for name in self.pending:
            result = _load(name, self.services[name], self.env)
            if result.get("pending"):
                still.append(name)
            else:
                log.info("%s: demo data loaded %s", name, result)
        self.pending = still

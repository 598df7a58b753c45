"""The outbox relay: publishes a service's unpublished outbox rows, in order, with confirms.

A row is marked published only after the broker confirmed it. If the broker is down the relay
waits with backoff and resumes; rows stay in the outbox meanwhile. If it dies between the confirm
and the mark, the batch is published again on restart: delivery is at least once and consumers
dedupe on the event id (the message id).

On PostgreSQL the relay sleeps on LISTEN and the writer's NOTIFY (sent at commit) wakes it, with
a slow safety poll because a notification sent while the relay was disconnected is lost. On
SQLite a doorbell beside the database file (``canopy_kit.doorbell``) does what NOTIFY does,
rung by the unit of work after a commit that wrote outbox rows; its safety look backs off to
``IDLE_LOOK_CEILING_SECONDS`` while nothing happens, so an idle relay costs nothing.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.engine import make_url

from canopy_kit.bus.connection import events_exchange, open_connection
from canopy_kit.doorbell import FALLBACK_POLL_SECONDS, Doorbell
from canopy_kit.bus.locks import FileLock, advisory_lock_key
from canopy_kit.bus.publisher import BatchPublisher, OutgoingMessage
from canopy_kit.clock import as_utc, now
from canopy_kit.db.tables import outbox
from canopy_kit.events.outbox import notify_channel, relay_doorbell
from canopy_kit.metrics import metrics
from canopy_kit.settings import Settings

log = logging.getLogger("canopy.relay")

MAX_BACKOFF_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 600.0
# The backlog gauges cost a query: once per wake-up would put it between a wake-up and the next,
# in the way of the next event. Once a second keeps them fresh (the idle poll is as often).
REPORT_EVERY_SECONDS = 1.0
PUBLISHED_RETENTION = timedelta(days=7)
# SQLite with a doorbell: how long an idle relay may go without looking at its outbox unasked.
IDLE_LOOK_CEILING_SECONDS = 10.0


def libpq_conninfo(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Waker:
    """Blocks until the outbox may have new rows: NOTIFY on PostgreSQL; on SQLite the doorbell
    every commit that wrote outbox rows rings (a poll where there is none)."""

    def __init__(self, settings: Settings, engine: Engine):
        self.settings = settings
        self.engine = engine
        self._listen: psycopg.Connection | None = None
        self._file_lock: FileLock | None = None
        self._doorbell: Doorbell | None = None
        self._idle_wait = settings.relay_poll_seconds
        self.is_postgres = engine.dialect.name == "postgresql"

    def try_lock(self) -> bool:
        name = f"canopy-relay:{self.settings.service}"
        if self.is_postgres:
            conn = self._listen_connection()
            got = conn.execute("SELECT pg_try_advisory_lock(%s)", (advisory_lock_key(name),)).fetchone()[0]
            return bool(got)
        database = make_url(self.settings.database_url).database or "memory"
        self._file_lock = FileLock(Path(database + ".relay.lock"))
        if not self._file_lock.try_acquire():
            return False
        place = relay_doorbell(self.engine)
        if place is not None:  # before the first look at the outbox, so no commit goes unheard
            self._doorbell = Doorbell(*place)
        return True

    def _listen_connection(self) -> psycopg.Connection:
        if self._listen is None or self._listen.closed:
            self._listen = psycopg.connect(libpq_conninfo(self.settings.database_url), autocommit=True)
            self._listen.execute(f'LISTEN "{notify_channel(self.settings.service)}"')
        return self._listen

    def wait(self, timeout: float) -> None:
        if not self.is_postgres:
            if self._doorbell is None or not self._doorbell.works:
                time.sleep(min(timeout, FALLBACK_POLL_SECONDS))
                return
            # Rung at every commit, so the safety look backs off while nothing happens.
            rung = self._doorbell.wait(self._idle_wait)
            self._idle_wait = timeout if rung else min(self._idle_wait * 2, IDLE_LOOK_CEILING_SECONDS)
            return
        for _ in self._listen_connection().notifies(timeout=timeout, stop_after=1):
            pass

    def holds_lock(self) -> bool:
        if not self.is_postgres:
            return True  # the file lock cannot be lost while the process lives
        return self._listen is not None and not self._listen.closed and not self._listen.broken

    def close(self) -> None:
        if self._listen is not None:
            self._listen.close()  # also releases the advisory lock
            self._listen = None
        if self._doorbell is not None:
            self._doorbell.close()
            self._doorbell = None
        if self._file_lock is not None:
            self._file_lock.release()


def outbox_backlog(conn) -> tuple[int, float]:
    """Unpublished outbox rows, and the age in seconds of the oldest (0 when there is none)."""
    count, oldest = conn.execute(
        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
    ).one()
    age = 0.0
    if oldest is not None:
        age = (now() - as_utc(oldest)).total_seconds()
    return count, age


class OutboxRelay:
    def __init__(self, settings: Settings, engine: Engine):
        self.settings = settings
        self.engine = engine
        self.exchange = events_exchange(settings.exchange)
        self._publisher: BatchPublisher | None = None
        self._last_prune = 0.0
        self._last_report = float("-inf")

    # -- publishing -------------------------------------------------------------------------
    def _get_publisher(self) -> BatchPublisher:
        if self._publisher is None:
            connection = open_connection(self.settings.bus_url)
            connection.ensure_connection(max_retries=1)
            self._publisher = BatchPublisher(
                connection, self.exchange, confirm_timeout=self.settings.relay_confirm_timeout_seconds
            )
        return self._publisher

    def _drop_publisher(self) -> None:
        if self._publisher is not None:
            self._publisher.reset()
            self._publisher = None

    def publish_batch(self) -> int:
        """Publish up to one batch of the oldest unpublished rows; return how many were marked."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.id, outbox.c.event_id, outbox.c.event_type, outbox.c.envelope)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self.settings.relay_batch_size)
            ).all()
        if not rows:
            return 0
        messages = [
            OutgoingMessage(message_id=row.event_id, routing_key=row.event_type, body=row.envelope,
                            headers={"x-canopy-producer": self.settings.service})
            for row in rows
        ]
        refused = set(self._get_publisher().publish(messages))
        confirmed = [row for row in rows if row.event_id not in refused]
        published_at = now()
        with self.engine.begin() as conn:
            if confirmed:
                conn.execute(update(outbox).where(outbox.c.id.in_([row.id for row in confirmed]))
                             .values(published_at=published_at))
            if refused:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.event_id.in_(refused))
                    .values(attempts=outbox.c.attempts + 1, last_error="refused by the broker (nack)")
                )
        counter = metrics().events_published
        for row in confirmed:
            counter.labels(self.settings.service, row.event_type).inc()
        if refused:
            raise ConnectionError(f"broker refused {len(refused)} messages")
        return len(confirmed)

    def drain(self, stop: threading.Event | None = None) -> int:
        """Publish until the outbox is empty, or until ``stop`` is set (the batch in hand is
        finished: a stopping relay does not first work off a backlog); return how many rows were
        published."""
        total = 0
        while True:
            published = self.publish_batch()
            total += published
            if published < self.settings.relay_batch_size or (stop is not None and stop.is_set()):
                return total

    # -- housekeeping -----------------------------------------------------------------------
    def backlog(self) -> tuple[int, float]:
        with self.engine.connect() as conn:
            return outbox_backlog(conn)

    def _report_backlog(self) -> None:
        if time.monotonic() - self._last_report < REPORT_EVERY_SECONDS:
            return
        self._last_report = time.monotonic()
        count, age = self.backlog()
        metrics().outbox_backlog.labels(self.settings.service).set(count)
        metrics().outbox_oldest_age.labels(self.settings.service).set(age)

    def _prune(self) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        cutoff = now() - PUBLISHED_RETENTION
        with self.engine.begin() as conn:
            conn.execute(delete(outbox).where(outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff))

    # -- the loop ---------------------------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set: stand by until this relay holds the lock, then publish."""
        waker = Waker(self.settings, self.engine)
        try:
            while not stop.is_set():
                if self._acquire(waker, stop):
                    log.info("relay active for %s", self.settings.service)
                    self._run_active(waker, stop)
        finally:
            self._drop_publisher()
            waker.close()
            log.info("relay stopped for %s", self.settings.service)

    def _acquire(self, waker: Waker, stop: threading.Event) -> bool:
        while not stop.is_set():
            try:
                if waker.try_lock():
                    return True
                log.info("another relay is active for %s; standing by", self.settings.service)
            except Exception as exc:
                log.warning("relay lock unavailable: %s", exc)
                waker.close()
            stop.wait(5.0)
        return False

    def _run_active(self, waker: Waker, stop: threading.Event) -> None:
        """Drain on every wake-up; on a failure wait with backoff and resume. Returns (to take
        the lock again) if the connection holding the lock was lost."""
        backoff = 0.5
        while not stop.is_set():
            try:
                self.drain(stop)
                self._report_backlog()
                self._prune()
                backoff = 0.5
                waker.wait(self.settings.relay_poll_seconds)
            except Exception as exc:  # broker or database down: rows stay in the outbox
                log.warning("relay paused: %s: %s (retrying in %.1fs)", type(exc).__name__, exc, backoff)
                self._drop_publisher()
                stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                if not waker.holds_lock():
                    waker.close()
                    return

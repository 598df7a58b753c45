"""The inbox: exactly-once effect over at-least-once delivery.

A batch of deliveries is handled in one transaction: for each, a savepoint holds the inbox record
``(consumer, event_id)`` and the handler's writes; a duplicate finds the record and does nothing;
a handler that raises rolls back its savepoint only. The caller acks after the commit, so a crash
before it means redelivery, which the inbox turns into a no-op.
"""
from __future__ import annotations

import enum
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from canopy_contracts import ContractError, ContractRegistry, Envelope, EnvelopeError
from canopy_kit import context
from canopy_kit.clock import now as utc_now
from canopy_kit.db.tables import inbox
from canopy_kit.db.uow import UnitOfWork, UnitOfWorkFactory
from canopy_kit.errors import Refusal
from canopy_kit.events.subscriptions import ReceivedEvent, Subscriptions
from canopy_kit.metrics import metrics

log = logging.getLogger("canopy.consumer")


class Outcome(enum.Enum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # no handler: a binding left from an older version of the service
    FAILED = "failed"  # the handler raised: retry later
    INVALID = "invalid"  # not an envelope, or breaks its contract: dead-letter at once
    # The handler refused the event for a reason that will not change (a ``Refusal`` whose meaning
    # is not worth retrying, e.g. ``Conflict``): dead-letter at once, for an operator to look at.
    REFUSED = "refused"

    @property
    def dead_at_once(self) -> bool:
        return self in (Outcome.INVALID, Outcome.REFUSED)


@dataclass
class Delivery:
    """One message to handle: its body, how often it already failed, and the transport's
    handle on it (a kombu message, or None for a retry parked in the inbox)."""

    body: str
    attempts: int = 0
    message_id: str | None = None
    message: Any = None
    outcome: Outcome | None = None
    error: str | None = None
    event_id: str | None = None
    event_type: str = "unknown"


def _usable_id(value) -> bool:
    # An inbox key: what a foreign publisher put in message_id may be anything.
    return isinstance(value, str) and 0 < len(value) <= 36 and value.isprintable()


def _storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL; a dead letter must be kept whatever it contains.
    return text.replace("\x00", "\ufffd")


def _runs_of_one_type(events: list[ReceivedEvent]) -> list[list[ReceivedEvent]]:
    """Consecutive events of one type, in order: handled together, and never reordered."""
    runs: list[list[ReceivedEvent]] = []
    for event in events:
        if runs and runs[-1][0].event_type == event.event_type:
            runs[-1].append(event)
        else:
            runs.append([event])
    return runs


class InboxProcessor:
    def __init__(self, consumer: str, uow_factory: UnitOfWorkFactory, subscriptions: Subscriptions,
                 registry: ContractRegistry):
        self.consumer = consumer
        self.uow_factory = uow_factory
        self.subscriptions = subscriptions
        self.registry = registry

    def process(self, deliveries: Sequence[Delivery]) -> Sequence[Delivery]:
        """Handle a batch in one transaction; set each delivery's outcome. Raises only if the
        commit itself fails (then nothing of the batch happened and nothing may be acked).

        The usual batch (new events whose handlers succeed) takes one query for the inbox
        statuses, the handlers' own statements and one insert of the inbox records. If any handler
        fails, or another consumer recorded one of the events meanwhile, the batch is rolled back
        and handled again one event at a time, each in its own savepoint."""
        parsed = [(delivery, self._parse(delivery)) for delivery in deliveries]
        with self.uow_factory() as uow:
            if not self._fast(uow, parsed):
                uow.rollback()
                for delivery, event in parsed:
                    if event is not None:
                        self._process_one(uow, delivery, event)
            uow.commit()
        for delivery in deliveries:
            metrics().events_consumed.labels(self.consumer, delivery.event_type, delivery.outcome.value).inc()
        return deliveries

    def _fast(self, uow: UnitOfWork, parsed) -> bool:
        """The whole batch without savepoints; False (outcomes unset) if it must go slowly."""
        handled = [(d, e) for d, e in parsed if e is not None and self.subscriptions.handler_for(e.event_type)]
        ids = [e.event_id for _, e in handled]
        statuses = dict(uow.session.execute(select(inbox.c.event_id, inbox.c.status).where(
            inbox.c.consumer == self.consumer, inbox.c.event_id.in_(ids))).all()) if ids else {}
        if any(status != "done" for status in statuses.values()):
            return False  # a retry parked in the inbox: handle it by the careful path
        fresh, seen = [], set()
        for delivery, event in handled:
            if event.event_id in statuses or event.event_id in seen:
                continue
            seen.add(event.event_id)
            fresh.append((delivery, event))
        started = time.perf_counter()
        try:
            for run in _runs_of_one_type([event for _, event in fresh]):
                with context.bound(correlation_id=run[0].envelope.correlation_id, causation_id=run[0].event_id):
                    self.subscriptions.batch_handler_for(run[0].event_type)(uow, run)
            if fresh:
                now = utc_now()
                uow.session.execute(inbox.insert(), [
                    {"consumer": self.consumer, "event_id": e.event_id, "event_type": e.event_type, "status": "done",
                     "attempts": d.attempts, "received_at": now, "processed_at": now} for d, e in fresh])
                uow.session.flush()
        except Exception as exc:
            log.info("batch of %d goes one by one: %s: %s", len(fresh), type(exc).__name__, exc)
            return False
        fresh_deliveries = {id(delivery) for delivery, _ in fresh}
        for delivery, event in parsed:
            if event is None:
                continue  # invalid: its outcome is set already
            if not self.subscriptions.handler_for(event.event_type):
                delivery.outcome = Outcome.IGNORED
            elif id(delivery) in fresh_deliveries:
                delivery.outcome = Outcome.HANDLED
            else:
                delivery.outcome = Outcome.DUPLICATE
        if fresh:
            each = (time.perf_counter() - started) / len(fresh)
            for _, event in fresh:
                metrics().handler_latency.labels(self.consumer, event.event_type).observe(each)
            occurred = datetime.fromisoformat(fresh[-1][1].envelope.occurred_at)
            metrics().consumer_lag.labels(self.consumer).set((utc_now() - occurred).total_seconds())
        return True

    def _parse(self, delivery: Delivery) -> ReceivedEvent | None:
        try:
            envelope = Envelope.from_json(delivery.body)
            delivery.event_id, delivery.event_type = envelope.event_id, envelope.event_type
            data = self.registry.get(envelope.event_type, envelope.version).load(envelope.payload)
        except (EnvelopeError, ContractError) as exc:
            delivery.outcome, delivery.error = Outcome.INVALID, str(exc)
        except Exception as exc:  # whatever else the bytes provoke is still the message's fault
            delivery.outcome, delivery.error = Outcome.INVALID, f"unreadable: {type(exc).__name__}: {exc}"
        else:
            return ReceivedEvent(envelope=envelope, data=data)
        delivery.event_id = next((i for i in (delivery.event_id, delivery.message_id) if _usable_id(i)),
                                 None) or str(uuid.uuid4())
        return None

    def _process_one(self, uow: UnitOfWork, delivery: Delivery, event: ReceivedEvent) -> None:
        handler = self.subscriptions.handler_for(event.event_type)
        if handler is None:
            delivery.outcome = Outcome.IGNORED
            return
        session = uow.session
        status = session.execute(
            select(inbox.c.status).where(inbox.c.consumer == self.consumer, inbox.c.event_id == event.event_id)
        ).scalar_one_or_none()
        if status == "done":
            delivery.outcome = Outcome.DUPLICATE
            return
        started = time.perf_counter()
        savepoint = session.begin_nested()
        try:
            self._record_done(uow, delivery, event, exists=status is not None)
            with context.bound(correlation_id=event.envelope.correlation_id, causation_id=event.event_id):
                handler(uow, event)
            session.flush()
            savepoint.commit()
        except IntegrityError as exc:
            savepoint.rollback()
            if self._is_done(uow, event.event_id):  # another consumer got there first
                delivery.outcome = Outcome.DUPLICATE
                return
            delivery.outcome, delivery.error = Outcome.FAILED, f"{type(exc).__name__}: {exc.orig}"
            return
        except Exception as exc:  # a failing handler must not poison the rest of the batch
            savepoint.rollback()
            refused = isinstance(exc, Refusal) and not exc.retry_in_consumer
            delivery.outcome = Outcome.REFUSED if refused else Outcome.FAILED
            delivery.error = f"{type(exc).__name__}: {exc}"
            log.warning("handler for %s failed on %s: %s", event.event_type, event.event_id, delivery.error)
            return
        delivery.outcome = Outcome.HANDLED
        metrics().handler_latency.labels(self.consumer, event.event_type).observe(time.perf_counter() - started)
        occurred = datetime.fromisoformat(event.envelope.occurred_at)
        metrics().consumer_lag.labels(self.consumer).set((utc_now() - occurred).total_seconds())

    def _is_done(self, uow: UnitOfWork, event_id: str) -> bool:
        return uow.session.execute(
            select(inbox.c.status).where(inbox.c.consumer == self.consumer, inbox.c.event_id == event_id)
        ).scalar_one_or_none() == "done"

    def _record_done(self, uow: UnitOfWork, delivery: Delivery, event: ReceivedEvent, *, exists: bool) -> None:
        now = utc_now()
        if exists:  # a retry parked in the inbox now succeeds
            uow.session.execute(
                update(inbox)
                .where(inbox.c.consumer == self.consumer, inbox.c.event_id == event.event_id)
                .values(status="done", processed_at=now, envelope=None, next_attempt_at=None,
                        attempts=delivery.attempts)
            )
            return
        uow.session.execute(
            inbox.insert().values(
                consumer=self.consumer, event_id=event.event_id, event_type=event.event_type, status="done",
                attempts=delivery.attempts, received_at=now, processed_at=now,
            )
        )

    # -- parking retries and dead letters in the inbox (filesystem and memory transports) ---
    def park(self, delivery: Delivery, *, dead: bool, retry_delay: timedelta) -> None:
        """Keep a failed delivery in the inbox to retry later, or as a dead letter."""
        now = utc_now()
        values = dict(
            event_type=_storable(delivery.event_type)[:100],
            status="dead" if dead else "retrying",
            attempts=delivery.attempts,
            next_attempt_at=None if dead else now + retry_delay,
            last_error=_storable(delivery.error or "")[:4000],
            envelope=_storable(delivery.body),
        )
        with self.uow_factory() as uow:
            dialect = uow.session.get_bind().dialect.name
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(inbox)
            statement = insert.values(consumer=self.consumer, event_id=delivery.event_id, received_at=now, **values)
            uow.session.execute(
                statement.on_conflict_do_update(index_elements=[inbox.c.consumer, inbox.c.event_id], set_=values)
            )
            uow.commit()

    def due_retries(self, limit: int) -> list[Delivery]:
        with self.uow_factory() as uow:
            rows = uow.session.execute(
                select(inbox.c.event_id, inbox.c.envelope, inbox.c.attempts)
                .where(inbox.c.consumer == self.consumer, inbox.c.status == "retrying",
                       inbox.c.next_attempt_at <= utc_now())
                .order_by(inbox.c.next_attempt_at)
                .limit(limit)
            ).all()
        return [Delivery(body=row.envelope, attempts=row.attempts, message_id=row.event_id) for row in rows]

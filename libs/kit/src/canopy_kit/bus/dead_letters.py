"""Operator view of dead letters: list, show, and re-drive them to the consumer.

RabbitMQ keeps them in ``<queue>.dead``; the filesystem and memory transports keep them in the
inbox as ``dead`` rows. Both are shown the same way. Re-driving resets the attempt count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from kombu import Exchange
from sqlalchemy import select, update

from canopy_kit.bus.connection import open_connection, transport_of
from canopy_kit.bus.messages import ATTEMPTS_HEADER, ERROR_HEADER, attempts_of, json_or_none, text_of
from canopy_kit.bus.publisher import BatchPublisher, OutgoingMessage
from canopy_kit.bus.topology import QueueNames
from canopy_kit.db.tables import inbox
from canopy_kit.db.uow import UnitOfWorkFactory
from canopy_kit.settings import Settings

MAX_SCAN = 10_000


@dataclass(frozen=True)
class DeadLetter:
    event_id: str
    event_type: str
    attempts: int
    error: str
    body: str

    def summary(self) -> dict:
        return {"event_id": self.event_id, "event_type": self.event_type, "attempts": self.attempts,
                "error": self.error[:200]}

    def detail(self) -> dict:
        envelope = json_or_none(self.body)
        return {**self.summary(), "error": self.error, "envelope": self.body if envelope is None else envelope}


def _event_type(body: str) -> str:
    envelope = json_or_none(body)
    return str(envelope.get("event_type", "unknown")) if isinstance(envelope, dict) else "unknown"


class DeadLetters:
    def __init__(self, settings: Settings, uow_factory: UnitOfWorkFactory):
        self.settings = settings
        self.uow_factory = uow_factory
        self.names = QueueNames(settings.queue_name(settings.service))
        self.on_rabbitmq = transport_of(settings.bus_url) == "amqp"

    def list(self) -> list[DeadLetter]:
        return self._from_queue(redrive=set()) if self.on_rabbitmq else self._from_inbox()

    def show(self, event_id: str) -> DeadLetter | None:
        return next((letter for letter in self.list() if letter.event_id == event_id), None)

    def redrive(self, event_ids: set[str] | None = None) -> int:
        """Send dead letters (all, or the given ids) back to the consumer; return how many."""
        if self.on_rabbitmq:
            return len(self._from_queue(redrive=event_ids if event_ids is not None else None))
        with self.uow_factory() as uow:
            statement = update(inbox).where(inbox.c.consumer == self.settings.service, inbox.c.status == "dead")
            if event_ids is not None:
                statement = statement.where(inbox.c.event_id.in_(event_ids))
            count = uow.session.execute(
                statement.values(status="retrying", attempts=0, next_attempt_at=datetime.now(timezone.utc))
            ).rowcount
            uow.commit()
        return count

    def _from_inbox(self) -> list[DeadLetter]:
        with self.uow_factory() as uow:
            rows = uow.session.execute(
                select(inbox).where(inbox.c.consumer == self.settings.service, inbox.c.status == "dead")
                .order_by(inbox.c.received_at)
            ).all()
        return [DeadLetter(row.event_id, row.event_type, row.attempts, row.last_error or "", row.envelope or "")
                for row in rows]

    def _from_queue(self, redrive: set[str] | None) -> list[DeadLetter]:
        """Read the dead queue without consuming it: every message is fetched unacked and goes
        back, in order, when the channel closes; those being re-driven are republished to the
        main queue (confirmed) and only then acked. ``redrive=None`` re-drives every one."""
        letters: list[DeadLetter] = []
        chosen = []
        with open_connection(self.settings.bus_url) as connection:
            channel = connection.channel()
            try:
                for _ in range(MAX_SCAN):
                    message = channel.basic_get(self.names.dead, no_ack=False)
                    if message is None:
                        break
                    headers = message.headers or {}
                    body = text_of(message.body)
                    event_id = str(message.properties.get("message_id") or "")
                    letter = DeadLetter(event_id, _event_type(body), attempts_of(headers),
                                        str(headers.get(ERROR_HEADER, "")), body)
                    letters.append(letter)
                    if redrive is None or event_id in redrive:
                        chosen.append((letter, message))
                if chosen and redrive != set():
                    publisher = BatchPublisher(connection, Exchange(""))
                    publisher.publish([OutgoingMessage(l.event_id, self.names.main, l.body, {ATTEMPTS_HEADER: 0})
                                       for l, _ in chosen])
                    for _, message in chosen:
                        channel.basic_ack(message.delivery_tag)
            finally:
                channel.close()  # everything not acked returns to the dead queue
        return [l for l, _ in chosen] if redrive != set() else letters

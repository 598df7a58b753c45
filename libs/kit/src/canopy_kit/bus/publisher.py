"""Publishing a batch of events and knowing which ones the broker took responsibility for.

On RabbitMQ the channel is put in publisher-confirm mode and a whole batch is published before
waiting: the broker acks (singly or with ``multiple``) as it persists them. py-amqp does not number
publishes, so we count delivery tags ourselves, 1, 2, 3... per channel; a new channel after a lost
connection starts again from 1 and everything still pending counts as not published.
On the filesystem and memory transports a publish returns once the message is written, which is
their confirm.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from kombu import Connection, Exchange, Producer

from canopy_kit.bus.connection import transport_of


@dataclass(frozen=True)
class OutgoingMessage:
    message_id: str
    routing_key: str
    body: str
    headers: dict = field(default_factory=dict)


class PublishTimeout(ConnectionError):
    """The broker did not confirm in time; the unconfirmed messages must be retried."""


class BatchPublisher:
    def __init__(self, connection: Connection, exchange: Exchange, *, confirm_timeout: float = 10.0):
        self.connection = connection
        self.exchange = exchange
        self.confirm_timeout = confirm_timeout
        self._confirming = transport_of(connection.as_uri()) == "amqp"
        self._channel = None
        self._producer: Producer | None = None
        self._next_tag = 0
        self._pending: set[int] = set()
        self._nacked: set[int] = set()
        self._declared: set[str] = set()

    def _ensure_channel(self) -> Producer:
        if self._producer is not None:
            return self._producer
        channel = self.connection.default_channel
        if self._confirming:
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
        self._channel = channel
        self._next_tag = 0
        self._pending.clear()
        self._nacked.clear()
        self._producer = Producer(channel, exchange=self.exchange)
        self._declared = set()
        return self._producer

    def _declare_once(self) -> None:
        # Declared once per channel, not on every message (it cost about 8% of the relay's time):
        # the filesystem transport needs it to know the exchange is a topic exchange.
        if self.exchange.name and self.exchange.name not in self._declared:
            self.exchange(self._channel).declare()
            self._declared.add(self.exchange.name)

    def _settle(self, delivery_tag: int, multiple: bool) -> set[int]:
        if multiple:
            settled = {tag for tag in self._pending if tag <= delivery_tag}
        else:
            settled = {delivery_tag} & self._pending
        self._pending -= settled
        return settled

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked |= self._settle(delivery_tag, multiple)

    def publish(self, messages: Sequence[OutgoingMessage], **properties) -> list[str]:
        """Publish every message; return the ids of those the broker refused (nacked).

        Raises a connection error or ``PublishTimeout`` when confirms did not all arrive: then none
        of the batch may be taken as published.
        """
        producer = self._ensure_channel()
        self._declare_once()
        tag_of: dict[int, str] = {}
        try:
            for message in messages:
                if self._confirming:
                    # Mark pending before publishing: the ack callback can fire inside publish().
                    self._next_tag += 1
                    self._pending.add(self._next_tag)
                    tag_of[self._next_tag] = message.message_id
                producer.publish(
                    message.body,
                    routing_key=message.routing_key,
                    message_id=message.message_id,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    headers=message.headers,
                    exchange=self.exchange,
                    retry=False,
                    **properties,
                )
            if self._confirming:
                self._wait_for_confirms()
        except BaseException:
            self.reset()
            raise
        refused = [tag_of[tag] for tag in sorted(self._nacked) if tag in tag_of]
        self._nacked.clear()
        return refused

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self.confirm_timeout
        while self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishTimeout(f"{len(self._pending)} messages not confirmed in {self.confirm_timeout}s")
            try:
                self.connection.drain_events(timeout=min(remaining, 1.0))
            except TimeoutError:
                continue

    def reset(self) -> None:
        """Forget the channel: the next publish opens a fresh one in confirm mode."""
        self._producer = None
        self._channel = None
        self._pending.clear()
        self._nacked.clear()
        try:
            self.connection.close()
        except Exception:  # the connection is already broken; closing is best effort
            pass

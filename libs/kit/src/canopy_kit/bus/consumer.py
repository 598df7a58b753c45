"""The consumer process: receives a service's events in batches and hands them to the inbox.

After the batch's transaction commits: handled, duplicate and ignored deliveries are acked; a
failed one is retried later (RabbitMQ: republished with confirms to ``<queue>.retry``, where it
waits out a per-message TTL and returns to the main queue; filesystem/memory: parked in the inbox
as ``retrying``) and after the last attempt dead-lettered (RabbitMQ: through the dead-letter
exchange to ``<queue>.dead``; filesystem/memory: an inbox row ``dead``); an invalid message is
dead-lettered at once. The original is acked only once its copy is confirmed.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import timedelta

from kombu import Connection, Exchange, Message

from canopy_kit.bus.connection import dead_letter_exchange, open_connection, transport_of
from canopy_kit.bus.publisher import BatchPublisher, OutgoingMessage
from canopy_kit.bus.topology import QueueNames, declare_consumer_topology
from canopy_kit.events.inbox import Delivery, InboxProcessor, Outcome
from canopy_kit.metrics import metrics
from canopy_kit.settings import Settings

log = logging.getLogger("canopy.consumer")

ATTEMPTS_HEADER = "x-canopy-attempts"
ERROR_HEADER = "x-canopy-error"
MAX_BACKOFF_SECONDS = 30.0
IDLE_WAIT_SECONDS = 0.25  # how long to block for a first message before the loop's housekeeping
# Only while working off a backlog (the previous batch was full) does a batch wait for company:
BATCH_WAIT_SECONDS = 0.005  # how long to wait for the next message before handling a partial batch
BATCH_MAX_WAIT_SECONDS = 0.01  # the longest the first message of such a batch waits for others


class EventConsumer:
    def __init__(self, settings: Settings, processor: InboxProcessor, routing_keys: tuple[str, ...]):
        self.settings = settings
        self.processor = processor
        self.routing_keys = routing_keys
        self.names = QueueNames(settings.queue_name(settings.service))
        self.on_rabbitmq = transport_of(settings.bus_url) == "amqp"
        self._buffer: list[Delivery] = []
        self._backlog = False  # the last batch was full: more are probably on their way
        self._republisher: BatchPublisher | None = None
        self._last_retry_scan = 0.0

    # -- receiving --------------------------------------------------------------------------
    def _on_message(self, message: Message) -> None:
        headers = message.headers or {}
        body = message.body.decode("utf-8", "replace") if isinstance(message.body, bytes) else message.body
        self._buffer.append(Delivery(
            body=body,
            attempts=int(headers.get(ATTEMPTS_HEADER, 0) or 0),
            message_id=message.properties.get("message_id"),
            message=message,
        ))

    def run(self, stop: threading.Event, *, idle_callback=None) -> None:
        """Consume until ``stop`` is set; reconnect with backoff when the broker goes away."""
        backoff = 0.5
        while not stop.is_set():
            try:
                with open_connection(self.settings.bus_url) as connection:
                    self._consume(connection, stop, idle_callback)
                backoff = 0.5
            except Exception as exc:
                log.warning("consumer paused: %s: %s (retrying in %.1fs)", type(exc).__name__, exc, backoff)
                self._buffer.clear()  # unacked: the broker redelivers them
                self._drop_republisher()
                stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        self._drop_republisher()

    def _consume(self, connection: Connection, stop: threading.Event, idle_callback) -> None:
        connection.ensure_connection(max_retries=1)
        queue = declare_consumer_topology(
            connection, exchange_name=self.settings.exchange, queue_name=self.names.main,
            routing_keys=self.routing_keys,
        )
        with connection.Consumer([queue], on_message=self._on_message, prefetch_count=self.settings.consumer_prefetch,
                                 no_ack=False):
            log.info("consuming %s (%d event types)", self.names.main, len(self.routing_keys))
            while not stop.is_set():
                idle = self._fill_buffer(connection)
                if self._buffer:
                    self._handle_buffer()
                elif not self.on_rabbitmq:
                    self._retry_parked()
                if idle and not self._buffer and idle_callback is not None:
                    idle_callback()
                if self.on_rabbitmq:
                    connection.heartbeat_check()

    def _fill_buffer(self, connection: Connection) -> bool:
        """Wait for a message, then take what has already arrived (the prefetched messages,
        without blocking) up to a batch: a steady trickle is handled as it comes, and a burst
        batches itself. Only while working off a backlog is it worth waiting a little for a
        batch to fill: ``BATCH_WAIT_SECONDS`` for each next message, ``BATCH_MAX_WAIT_SECONDS``
        in all. True if idle."""
        if not self._buffer:
            try:
                connection.drain_events(timeout=IDLE_WAIT_SECONDS)
            except (socket.timeout, TimeoutError):
                return True
        deadline = time.monotonic() + BATCH_MAX_WAIT_SECONDS if self._backlog else None
        while len(self._buffer) < self.settings.consumer_batch_size:
            timeout = 0.0 if deadline is None else min(BATCH_WAIT_SECONDS, deadline - time.monotonic())
            try:
                connection.drain_events(timeout=max(timeout, 0.0))
            except (socket.timeout, TimeoutError):
                break
        return False

    # -- handling ---------------------------------------------------------------------------
    def _handle_buffer(self) -> None:
        batch, self._buffer = self._buffer, []
        self._backlog = len(batch) >= self.settings.consumer_batch_size
        self.processor.process(batch)
        for delivery in batch:
            self._settle(delivery)

    def _settle(self, delivery: Delivery) -> None:
        outcome = delivery.outcome
        if outcome in (Outcome.HANDLED, Outcome.DUPLICATE, Outcome.IGNORED):
            self._ack(delivery)
            return
        if outcome is Outcome.FAILED:
            delivery.attempts += 1
        dead = outcome is Outcome.INVALID or delivery.attempts >= self.settings.consumer_max_attempts
        if dead:
            log.error("dead-lettering %s %s after %d attempts: %s", delivery.event_type, delivery.event_id,
                      delivery.attempts, delivery.error)
        metrics().events_consumed.labels(
            self.settings.service, delivery.event_type, "dead_lettered" if dead else "retried").inc()
        if self.on_rabbitmq:
            self._forward(delivery, dead=dead)
        else:
            self.processor.park(delivery, dead=dead,
                                retry_delay=timedelta(milliseconds=self.settings.consumer_retry_delay_ms))
        self._ack(delivery)

    @staticmethod
    def _ack(delivery: Delivery) -> None:
        if delivery.message is not None:
            delivery.message.ack()

    def _forward(self, delivery: Delivery, *, dead: bool) -> None:
        """Republish a failed delivery to the retry queue or the dead-letter exchange, confirmed."""
        message = delivery.message
        headers = dict(message.headers or {})
        headers[ATTEMPTS_HEADER] = delivery.attempts
        headers[ERROR_HEADER] = (delivery.error or "")[:1000]
        outgoing = OutgoingMessage(
            message_id=delivery.message_id or delivery.event_id or "",
            routing_key=self.names.dead if dead else self.names.retry,
            body=delivery.body,
            headers=headers,
        )
        publisher = self._get_republisher(dead)
        extra = {} if dead else {"expiration": self.settings.consumer_retry_delay_ms / 1000}
        publisher.publish([outgoing], **extra)

    def _get_republisher(self, dead: bool) -> BatchPublisher:
        # A connection of its own: waiting for confirms must not deliver consumer messages.
        if self._republisher is None:
            connection = open_connection(self.settings.bus_url)
            connection.ensure_connection(max_retries=1)
            self._republisher = BatchPublisher(connection, Exchange(""), confirm_timeout=10.0)
        self._republisher.exchange = dead_letter_exchange(self.settings.exchange) if dead else Exchange("")
        return self._republisher

    def _drop_republisher(self) -> None:
        if self._republisher is not None:
            self._republisher.reset()
            self._republisher = None

    def _retry_parked(self) -> None:
        """Filesystem/memory: re-run inbox retries whose delay has passed."""
        if time.monotonic() - self._last_retry_scan < 0.5:
            return
        self._last_retry_scan = time.monotonic()
        due = self.processor.due_retries(self.settings.consumer_batch_size)
        if due:
            self.processor.process(due)
            for delivery in due:
                self._settle(delivery)

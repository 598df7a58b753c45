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
from canopy_kit.bus.messages import ATTEMPTS_HEADER, ERROR_HEADER, attempts_of, text_of
from canopy_kit.bus.publisher import BatchPublisher, OutgoingMessage
from canopy_kit.bus.topology import QueueNames, declare_consumer_topology
from canopy_kit.db.availability import database_unavailable
from canopy_kit.events.inbox import Delivery, InboxProcessor, Outcome
from canopy_kit.metrics import metrics
from canopy_kit.settings import Settings

log = logging.getLogger("canopy.consumer")

__all__ = ["ATTEMPTS_HEADER", "ERROR_HEADER", "EventConsumer"]

MAX_BACKOFF_SECONDS = 30.0
FIRST_BACKOFF_SECONDS = 0.5
# A connection that served this long counts as recovered: the next blip starts the back-off anew.
HEALTHY_AFTER_SECONDS = 10.0
# While the database is away the batch stays unacked on the open channel (a reconnect would count a
# delivery against every message of it): the consumer waits in steps short enough for heartbeats.
DATABASE_WAIT_CEILING_SECONDS = 5.0
IDLE_WAIT_SECONDS = 0.25  # how long to block for a first message before the loop's housekeeping
# On the filesystem bus a writer rings the queue's doorbell, so an idle consumer need not wake
# often: each idle wait doubles up to this, and the retry scan backs off the same way.
IDLE_WAIT_CEILING_SECONDS = 2.0
RETRY_SCAN_SECONDS, RETRY_SCAN_CEILING_SECONDS = 0.5, 5.0
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
        self._retry_scan_every = RETRY_SCAN_SECONDS
        self.backs_off_when_idle = transport_of(settings.bus_url) == "filesystem"
        self._idle_wait = IDLE_WAIT_SECONDS
        self._connected_at: float | None = None
        self._database_wait = FIRST_BACKOFF_SECONDS

    # -- receiving --------------------------------------------------------------------------
    def _on_message(self, message: Message) -> None:
        # Nothing here may raise: kombu would drop the connection and the broker hand the same
        # message back, for ever. What the bytes or headers say is judged later (invalid: dead letter).
        message_id = (message.properties or {}).get("message_id")
        self._buffer.append(Delivery(
            body=text_of(message.body),
            attempts=attempts_of(message.headers),
            message_id=message_id if isinstance(message_id, str) else None,
            message=message,
        ))

    def run(self, stop: threading.Event, *, idle_callback=None) -> None:
        """Consume until ``stop`` is set; reconnect with backoff when the broker goes away. The
        back-off starts again once a connection has served ``HEALTHY_AFTER_SECONDS``."""
        backoff = FIRST_BACKOFF_SECONDS
        while not stop.is_set():
            self._connected_at = None
            try:
                with open_connection(self.settings.bus_url) as connection:
                    self._consume(connection, stop, idle_callback)
            except Exception as exc:
                connected_at = self._connected_at
                if connected_at is not None and time.monotonic() - connected_at >= HEALTHY_AFTER_SECONDS:
                    backoff = FIRST_BACKOFF_SECONDS
                log.warning("consumer paused: %s: %s (retrying in %.1fs)", type(exc).__name__, exc, backoff)
                self._buffer.clear()  # unacked: the broker redelivers them
                self._drop_republisher()
                stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        self._drop_republisher()

    def _consume(self, connection: Connection, stop: threading.Event, idle_callback) -> None:
        connection.ensure_connection(max_retries=1)
        self._connected_at = time.monotonic()
        queue = declare_consumer_topology(
            connection, exchange_name=self.settings.exchange, queue_name=self.names.main,
            routing_keys=self.routing_keys,
        )
        with connection.Consumer([queue], on_message=self._on_message, prefetch_count=self.settings.consumer_prefetch,
                                 no_ack=False):
            log.info("consuming %s (%d event types)", self.names.main, len(self.routing_keys))
            while not stop.is_set():
                idle = self._fill_buffer(connection) if not self._buffer else False
                if self._buffer:
                    if not self._handle_buffer():
                        self._wait_for_database(connection, stop)
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
                connection.drain_events(timeout=self._idle_wait)
            except (socket.timeout, TimeoutError):
                if self.backs_off_when_idle:
                    self._idle_wait = min(self._idle_wait * 2, IDLE_WAIT_CEILING_SECONDS)
                return True
            self._idle_wait = IDLE_WAIT_SECONDS
        deadline = time.monotonic() + BATCH_MAX_WAIT_SECONDS if self._backlog else None
        while len(self._buffer) < self.settings.consumer_batch_size:
            timeout = 0.0 if deadline is None else min(BATCH_WAIT_SECONDS, deadline - time.monotonic())
            try:
                connection.drain_events(timeout=max(timeout, 0.0))
            except (socket.timeout, TimeoutError):
                break
        return False

    # -- handling ---------------------------------------------------------------------------
    def _handle_buffer(self) -> bool:
        """Handle and settle the buffered batch; False (the batch kept, unacked) while the
        database is unavailable."""
        batch = self._buffer
        if not self._process(batch):
            return False
        self._buffer = []
        self._database_wait = FIRST_BACKOFF_SECONDS
        self._backlog = len(batch) >= self.settings.consumer_batch_size
        for delivery in batch:
            self._settle(delivery)
        return True

    def _process(self, batch: list[Delivery]) -> bool:
        """Run the batch through the inbox. If the batch as a whole fails for a reason of its own
        (not a handler: the inbox isolates those), its messages are handled one at a time, so that
        only the one at fault counts an attempt and its neighbours go through. False if the
        database is unavailable: nothing is counted against anyone, and the whole batch is tried
        again (what had committed is then a duplicate, which the inbox makes a no-op)."""
        try:
            self.processor.process(batch)
            return True
        except Exception as exc:
            if database_unavailable(exc):
                log.warning("database unavailable, holding %d events: %s", len(batch), exc)
                return False
            log.warning("batch of %d failed as a whole, one at a time now: %s: %s", len(batch),
                        type(exc).__name__, exc)
        for delivery in batch:
            delivery.outcome = delivery.error = None
        for delivery in batch:
            try:
                self.processor.process([delivery])
            except Exception as exc:
                if database_unavailable(exc):
                    return False
                delivery.outcome, delivery.error = Outcome.FAILED, f"{type(exc).__name__}: {exc}"
        return True

    def _wait_for_database(self, connection: Connection, stop: threading.Event) -> None:
        stop.wait(self._database_wait)
        self._database_wait = min(self._database_wait * 2, DATABASE_WAIT_CEILING_SECONDS)
        if self.on_rabbitmq:
            connection.heartbeat_check()

    def _settle(self, delivery: Delivery) -> None:
        outcome = delivery.outcome
        if outcome in (Outcome.HANDLED, Outcome.DUPLICATE, Outcome.IGNORED):
            self._ack(delivery)
            return
        if outcome in (Outcome.FAILED, Outcome.REFUSED):  # the handler ran: that was an attempt
            delivery.attempts += 1
        dead = outcome.dead_at_once or delivery.attempts >= self.settings.consumer_max_attempts
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
            self._retry_scan_every = RETRY_SCAN_SECONDS
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
        if time.monotonic() - self._last_retry_scan < self._retry_scan_every:
            return
        self._last_retry_scan = time.monotonic()
        due = self.processor.due_retries(self.settings.consumer_batch_size)
        self._retry_scan_every = (RETRY_SCAN_SECONDS if due or not self.backs_off_when_idle
                                  else min(self._retry_scan_every * 2, RETRY_SCAN_CEILING_SECONDS))
        if due and self._process(due):
            for delivery in due:
                self._settle(delivery)

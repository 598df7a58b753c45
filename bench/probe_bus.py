"""What the bus benchmarks share: the kit's probe service on PostgreSQL and RabbitMQ under this
run's own names, and raw kombu publishing and consuming to compare the kit with."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from kombu import Connection, Consumer, Exchange, Producer, Queue

from bench.common import RABBITMQ_URL, BusNames, benchmark_arguments, bus_names, postgres_database, publish

RAW_PREFETCH = 200  # the kit consumer's default prefetch, so both sides get the same window


@contextmanager
def probe_on_postgres(**overrides) -> Iterator[tuple[object, BusNames]]:
    """The probe service (it consumes identity.person.registered) with its queue declared, so
    events relayed before its consumer first runs are kept."""
    from canopy_kit.service import Runtime
    from canopy_kit.testing import declare_queue, make_settings, prepare_database
    from canopy_kit.testing.probe import probe_spec

    with bus_names() as names, postgres_database() as url:
        settings = make_settings("probe", database_url=url, bus_url=RABBITMQ_URL, exchange=names.exchange,
                                 queue_prefix=names.queue_prefix, **overrides)
        runtime = Runtime(probe_spec(), settings)
        try:
            prepare_database(runtime)
            declare_queue(runtime)
            yield runtime, names
        finally:
            runtime.dispose()


def unpublished_messages(runtime) -> list[tuple[str, str, str]]:
    """(event id, routing key, body) of the outbox rows not yet published, oldest first."""
    from sqlalchemy import select

    from canopy_kit.db.tables import outbox

    with runtime.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(outbox.c.event_id, outbox.c.event_type, outbox.c.envelope)
            .where(outbox.c.published_at.is_(None)).order_by(outbox.c.id))]


def raw_queue(names: BusNames) -> Queue:
    """A quorum queue like a service's own, addressed through the default exchange; declared now,
    since the broker drops what is published to a queue that does not exist yet."""
    name = names.queue_prefix + "raw"
    queue = Queue(name, exchange=Exchange(""), routing_key=name, durable=True,
                  queue_arguments={"x-queue-type": "quorum"})
    with Connection(RABBITMQ_URL) as conn:
        queue(conn.default_channel).declare()
    return queue


def publish_raw(messages, *, exchange: Exchange, routing_key: str | None = None, confirm: bool) -> None:
    """Persistent publishes one after another; with ``confirm`` kombu waits for each confirm."""
    options = {"transport_options": {"confirm_publish": True}} if confirm else {}
    with Connection(RABBITMQ_URL, **options) as conn:
        producer = Producer(conn.default_channel, exchange=exchange)
        for event_id, event_type, body in messages:
            producer.publish(body, routing_key=routing_key or event_type, message_id=event_id,
                             content_type="application/json", content_encoding="utf-8", delivery_mode=2,
                             retry=False)


def purge(queue_name: str) -> None:
    with Connection(RABBITMQ_URL) as conn:
        conn.default_channel.queue_purge(queue_name)


def consume_raw(queue: Queue, count: int, timeout: float = 60.0) -> None:
    """Receive and ack ``count`` messages one by one, doing nothing else with them."""
    received = 0

    def on_message(message):
        nonlocal received
        message.ack()
        received += 1

    deadline = time.monotonic() + timeout
    with Connection(RABBITMQ_URL) as conn:
        with Consumer(conn, [queue], on_message=on_message, prefetch_count=RAW_PREFETCH, no_ack=False):
            while received < count:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"received {received} of {count} messages in {timeout}s")
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    continue


def run_event_benchmark(argv, doc: str, title: str, measure, report, *, default_events: int) -> int:
    """The command line of a benchmark sized in events and repeats."""
    parser = benchmark_arguments(doc)
    parser.add_argument("--events", type=int, default=default_events)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    events, repeats = (50, 1) if args.quick else (args.events, args.repeats)
    publish(title, report(measure(events, repeats), events, repeats), write=not args.no_write)
    return 0

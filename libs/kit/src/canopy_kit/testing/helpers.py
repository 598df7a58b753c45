"""Helpers for tests that drive the real outbox, relay and consumer."""
from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select

from canopy_contracts import Envelope
from canopy_kit.bus.relay import OutboxRelay
from canopy_kit.db.migrations import migrate
from canopy_kit.db.tables import kit_metadata, outbox
from canopy_kit.processes import build_consumer
from canopy_kit.service import Runtime
from canopy_kit.settings import Settings


def make_settings(service: str, *, database_url: str, bus_url: str = "memory://", **overrides: Any) -> Settings:
    settings = Settings.from_env(service, environ={"DATABASE_URL": database_url, "BUS_URL": bus_url})
    return settings.with_overrides(**overrides)


def prepare_database(runtime: Runtime) -> None:
    """Migrate (a service with migrations) or create the tables (a test-only service)."""
    migrations_dir = runtime.spec.migrations_dir
    if migrations_dir is not None and migrations_dir.exists():
        migrate(runtime.engine, migrations_dir)
    else:
        kit_metadata.create_all(runtime.engine)
        runtime.spec.metadata.create_all(runtime.engine)


def outbox_events(runtime: Runtime, *, unpublished_only: bool = False) -> list[Envelope]:
    """The events a service has recorded, oldest first: what it published or will publish."""
    query = select(outbox.c.envelope).order_by(outbox.c.id)
    if unpublished_only:
        query = query.where(outbox.c.published_at.is_(None))
    with runtime.engine.connect() as conn:
        return [Envelope.from_json(body) for body in conn.execute(query).scalars()]


def relay_all(runtime: Runtime) -> int:
    """Publish every unpublished outbox row now (the relay's work, without its loop)."""
    relay = OutboxRelay(runtime.settings, runtime.engine)
    try:
        return relay.drain()
    finally:
        relay._drop_publisher()


def consume_until_idle(runtime: Runtime, *, timeout: float = 20.0, idle_rounds: int = 2) -> None:
    """Run the service's consumer until its queue has been idle for ``idle_rounds`` polls.

    Raises TimeoutError if it is still busy after ``timeout`` seconds.
    """
    consumer = build_consumer(runtime)
    stop = threading.Event()
    idle = {"count": 0}

    def on_idle():
        idle["count"] += 1
        if idle["count"] >= idle_rounds:
            stop.set()

    timer = threading.Timer(timeout, stop.set)
    timer.start()
    started = time.monotonic()
    try:
        consumer.run(stop, idle_callback=on_idle)
    finally:
        timer.cancel()
    if idle["count"] < idle_rounds and time.monotonic() - started >= timeout:
        raise TimeoutError(f"consumer still busy after {timeout}s")


def declare_queue(runtime: Runtime) -> None:
    """Declare the service's queue and bindings now, so events published before its consumer
    first runs are kept (a topic exchange drops what no queue is bound for)."""
    from canopy_kit.bus.connection import open_connection
    from canopy_kit.bus.topology import declare_consumer_topology

    settings = runtime.settings
    with open_connection(settings.bus_url) as connection:
        declare_consumer_topology(connection, exchange_name=settings.exchange,
                                  queue_name=settings.queue_name(runtime.spec.name),
                                  routing_keys=runtime.subscriptions.routing_keys)


def handle_own_events(runtime: Runtime) -> list:
    """Pass a service's recorded events through its own inbox and handlers, in one process and
    without a bus (what its consumer does with the events it subscribes to among its own):
    handled once, duplicates absorbed. Returns the deliveries with their outcomes."""
    from canopy_kit.events.inbox import Delivery, InboxProcessor

    with runtime.engine.connect() as conn:
        bodies = conn.execute(select(outbox.c.envelope).order_by(outbox.c.id)).scalars().all()
    processor = InboxProcessor(runtime.spec.name, runtime.uow_factory, runtime.subscriptions, runtime.registry)
    return list(processor.process([Delivery(body=body) for body in bodies]))


def wait_until(predicate, timeout: float = 20.0) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False

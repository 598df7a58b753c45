"""A tiny service used by the kit's own tests: it consumes ``identity.person.registered`` into a
table of effects, one row per handled event, so a second effect of one event shows as two rows.
A person named "Fail" makes the handler raise, to exercise retries and dead letters; one named
"Refuse" makes it refuse the event by meaning (``Conflict``: never worth retrying).

Run as a process for multi-process tests::

    python -m canopy_kit.testing.probe publish N | relay | consume N

with ``DATABASE_URL``, ``BUS_URL``, ``CANOPY_EXCHANGE`` and ``CANOPY_QUEUE_PREFIX`` set.
"""
from __future__ import annotations

import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from canopy_kit.errors import Conflict
from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.settings import Settings

metadata = MetaData()
effects = Table(
    "probe_effects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("given_name", String(100), nullable=False),
)

TRUST_ID = "0b5c3a52-6f1e-4a43-9d1c-2f5e8c1f0a01"


def subscriptions() -> Subscriptions:
    subs = Subscriptions()

    @subs.on_many("identity.person.registered")
    def people_registered(uow, events):
        if any(event.data["given_name"] == "Fail" for event in events):
            raise RuntimeError("this handler always fails for Fail")
        if any(event.data["given_name"] == "Refuse" for event in events):
            raise Conflict("this person contradicts what is known")
        uow.session.execute(effects.insert(), [
            {"event_id": e.event_id, "person_id": str(e.data["person_id"]), "given_name": e.data["given_name"]}
            for e in events])

    return subs


def probe_spec(name: str = "probe") -> ServiceSpec:
    return ServiceSpec(name=name, title="probe", metadata=metadata, migrations_dir=Path("/nonexistent"),
                       blueprints=list, subscriptions=subscriptions)


def person_payload(given_name: str = "Amira") -> dict:
    return {"person_id": str(uuid.uuid4()), "given_name": given_name, "family_name": "Khan",
            "preferred_name": None, "email": f"{uuid.uuid4().hex[:8]}@example.org", "status": "active"}


def publish_people(runtime: Runtime, count: int, given_name: str = "Amira") -> list[str]:
    """Record ``count`` person-registered events in the outbox, one transaction."""
    with runtime.uow_factory() as uow:
        ids = [uow.publish("identity.person.registered", person_payload(given_name), trust_id=TRUST_ID)
               for _ in range(count)]
        uow.commit()
    return ids


def count_effects(runtime: Runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(effects)).scalar_one()


def main(argv: list[str]) -> int:
    from canopy_kit.processes import build_consumer
    from canopy_kit.testing.helpers import prepare_database, relay_all

    command = argv[0]
    runtime = Runtime(probe_spec(), Settings.from_env("probe"))
    prepare_database(runtime)
    if command == "publish":
        publish_people(runtime, int(argv[1]))
    elif command == "relay":
        print(relay_all(runtime))
    elif command == "consume":
        wanted, deadline = int(argv[1]), time.monotonic() + float(argv[2] if len(argv) > 2 else 30)
        stop = threading.Event()

        def check():
            if count_effects(runtime) >= wanted or time.monotonic() > deadline:
                stop.set()

        build_consumer(runtime).run(stop, idle_callback=check)
        print(count_effects(runtime))
        return 0 if count_effects(runtime) >= wanted else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

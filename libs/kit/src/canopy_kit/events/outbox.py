"""The transactional outbox writer: events go into the service's own database, in the same
transaction as the change that caused them. Only the relay publishes them."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from canopy_contracts import ContractRegistry, new_envelope
from canopy_kit import context
from canopy_kit.db.tables import outbox
from canopy_kit.doorbell import ring


_ROW_FIELDS = ("event_id", "event_type", "envelope", "created_at", "attempts")  # what ``_row`` gives


def notify_channel(service: str) -> str:
    """The PostgreSQL NOTIFY channel a service's relay listens on."""
    return "canopy_outbox_" + service.replace("-", "_")


# A session's ``info`` key: the transaction wrote to a SQLite outbox, so its commit rings the relay.
RING_RELAY_AFTER_COMMIT = "canopy_ring_relay"


def relay_doorbell(engine: Engine) -> tuple[Path, str] | None:
    """SQLite's stand-in for NOTIFY: the folder and topic of the doorbell (``canopy_kit.doorbell``)
    a relay waits on and a commit that wrote outbox rows rings, beside the database file. None for
    PostgreSQL, which has NOTIFY, and for a database that is not a file."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    path = Path(database).resolve()
    return path.parent, path.name + ".outbox"


class OutboxWriter:
    """Writes a service's events into its outbox, in the caller's transaction, and wakes its relay
    once that transaction commits (``committed``, called by the unit of work)."""

    def __init__(self, service: str, registry: ContractRegistry, *, doorbell: tuple[Path, str] | None = None):
        self.service = service
        self.registry = registry
        self.channel = notify_channel(service)
        self.doorbell = doorbell  # ``relay_doorbell(engine)``: SQLite's wake-up, None on PostgreSQL

    def committed(self, session: Session) -> None:
        """The transaction committed: ring the relay if it wrote to a SQLite outbox."""
        if session.info.pop(RING_RELAY_AFTER_COMMIT, False) and self.doorbell is not None:
            ring(*self.doorbell)

    def rolled_back(self, session: Session) -> None:
        session.info.pop(RING_RELAY_AFTER_COMMIT, None)

    def _row(self, event_type: str, payload: dict[str, Any], *, trust_id: Any, school_id: Any = None,
             actor_id: Any = None, version: int | None = None) -> dict[str, Any]:
        contract = (
            self.registry.get(event_type, version) if version is not None else self.registry.latest(event_type)
        )
        envelope = new_envelope(
            event_type=event_type,
            version=contract.version,
            producer=self.service,
            trust_id=trust_id,
            school_id=school_id,
            actor_id=actor_id,
            payload=contract.dump(payload),
            correlation_id=context.correlation_id.get(),
            causation_id=context.causation_id.get(),
        )
        return {"event_id": envelope.event_id, "event_type": event_type, "envelope": envelope.to_json(),
                "created_at": datetime.now(timezone.utc), "attempts": 0}

    def _notify(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            # Delivered at commit, and only if the transaction commits: wakes the relay at once.
            session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
        else:
            session.info[RING_RELAY_AFTER_COMMIT] = True  # the unit of work rings once it has committed

    def write(self, session: Session, event_type: str, payload: dict[str, Any], **envelope_fields: Any) -> str:
        """Validate the payload against its contract and add the event to the outbox.

        Raises ``ContractError`` (nothing written) when the payload breaks its contract: that is a
        bug in the producer, never something to publish. ``envelope_fields``: ``trust_id``
        (required), ``school_id``, ``actor_id``, ``version`` (default: the latest).
        """
        row = self._row(event_type, payload, **envelope_fields)
        self._insert(session, [row])
        return row["event_id"]

    def write_many(self, session: Session, events: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[str]:
        """Many events, validated one by one and inserted together: for imports and bulk changes."""
        rows = [self._row(event_type, payload, **fields) for event_type, payload, fields in events]
        if rows:
            self._insert(session, rows)
        return [row["event_id"] for row in rows]

    def _insert(self, session: Session, rows: list[dict[str, Any]]) -> None:
        if len(rows) == 1 and session.get_bind().dialect.name == "postgresql":
            # A write's usual case: the row and the relay's wake-up in one round trip.
            session.execute(_insert_and_notify(), {**rows[0], "channel": self.channel})
            return
        session.execute(insert(outbox), rows)
        self._notify(session)


@cache
def _insert_and_notify():
    """One outbox row and ``pg_notify`` in one statement (PostgreSQL runs a data-modifying WITH
    whether or not the statement reads it). Built once: compiling it per write cost more than the
    round trip it saves."""
    written = insert(outbox).values({c.name: bindparam(c.name) for c in outbox.columns if c.name in _ROW_FIELDS})
    return select(func.pg_notify(bindparam("channel"), "")).add_cte(written.cte("written"))

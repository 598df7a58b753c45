"""Facts: reporting's copy of each record, rating, activity, evaluation and CPD request in its
latest state.

Events carry an item's whole state (a CPD request's two events each carry their part of it, and
its handler puts that over the stored row), so a fact is replaced, never patched: the old rows are
counted out of the rollups and the new ones in. An event older than the one that last wrote a fact
(a late or re-driven delivery) changes nothing.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from canopy_kit.clock import as_utc
from canopy_kit.events.subscriptions import ReceivedEvent
from reporting.rollups import BY_FACTS, Changes


def occurred(event: ReceivedEvent) -> datetime:
    return datetime.fromisoformat(event.envelope.occurred_at)


def _locked(session: Session, table: Table, column: str, ids: list[str]) -> list:
    return session.execute(select(table).where(table.c[column].in_(ids)).with_for_update()).mappings().all()


def newest_events(session: Session, table: Table, key: str, events: Iterable[ReceivedEvent],
                  stamp: str = "occurred_at") -> tuple[list[ReceivedEvent], dict[str, Any]]:
    """Per item, the newest of these events, unless the fact already holds a newer one (``stamp``:
    the column with when its event occurred; null if no such event wrote it yet); and the items'
    stored rows (read and locked once, for ``replace`` to count out)."""
    newest: dict[str, ReceivedEvent] = {}
    for event in events:  # in delivery order: of two equally new events the later one wins
        item = str(event.data[key])
        if item not in newest or occurred(newest[item]) <= occurred(event):
            newest[item] = event
    if not newest:
        return [], {}
    stored = {row[key]: row for row in _locked(session, table, key, list(newest))}
    fresh = [event for item, event in newest.items()
             if item not in stored or stored[item][stamp] is None or as_utc(stored[item][stamp]) <= occurred(event)]
    return fresh, stored


def replace(session: Session, table: Table, group: str, rows_by_group: dict[str, list[dict[str, Any]]],
            changes: Changes, stored: dict[str, Any] | None = None) -> None:
    """Make each group's fact rows (a record's ratings, or the record itself) exactly these rows.
    ``stored``: the groups' current rows, one per group, when ``newest_events`` has read them."""
    if not rows_by_group:
        return
    rollups = BY_FACTS[table.name]
    ids = list(rows_by_group)
    old_rows = (_locked(session, table, group, ids) if stored is None
                else [stored[item] for item in ids if item in stored])
    for old in old_rows:
        for rollup in rollups:
            changes.count(rollup, old, -1)
    session.execute(delete(table).where(table.c[group].in_(ids)))
    rows = [row for group_rows in rows_by_group.values() for row in group_rows]
    for row in rows:
        for rollup in rollups:
            changes.count(rollup, row, +1)
    if rows:
        session.execute(insert(table), rows)

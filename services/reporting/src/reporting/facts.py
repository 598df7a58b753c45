"""Facts: reporting's copy of each record, rating, activity and evaluation in its latest state.

Events carry an item's whole state, so a fact is replaced, never patched: the old rows are counted
out of the rollups and the new ones in. An event older than the one that last wrote a fact (a
late or re-driven delivery) changes nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from canopy_kit.events.subscriptions import ReceivedEvent
from reporting.rollups import BY_FACTS, Changes


def occurred(event: ReceivedEvent) -> datetime:
    return datetime.fromisoformat(event.envelope.occurred_at)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite gives naive UTC


def newest_events(session: Session, table: Table, key: str, events: Iterable[ReceivedEvent]) -> list[ReceivedEvent]:
    """Per item, the newest of these events, unless the fact already holds a newer one."""
    newest: dict[str, ReceivedEvent] = {}
    for event in events:  # in delivery order: of two equally new events the later one wins
        item = str(event.data[key])
        if item not in newest or occurred(newest[item]) <= occurred(event):
            newest[item] = event
    if not newest:
        return []
    stored = dict(session.execute(select(table.c[key], table.c.occurred_at)
                                  .where(table.c[key].in_(list(newest))).with_for_update()).all())
    return [event for item, event in newest.items()
            if item not in stored or _aware(stored[item]) <= occurred(event)]


def replace(session: Session, table: Table, group: str, rows_by_group: dict[str, list[dict[str, Any]]],
            changes: Changes) -> None:
    """Make each group's fact rows (a record's ratings, or the record itself) exactly these rows."""
    if not rows_by_group:
        return
    rollups = BY_FACTS[table.name]
    ids = list(rows_by_group)
    for old in session.execute(select(table).where(table.c[group].in_(ids)).with_for_update()).mappings():
        for rollup in rollups:
            changes.count(rollup, old, -1)
    session.execute(delete(table).where(table.c[group].in_(ids)))
    rows = [row for group_rows in rows_by_group.values() for row in group_rows]
    for row in rows:
        for rollup in rollups:
            changes.count(rollup, row, +1)
    if rows:
        session.execute(insert(table), rows)

"""The time, always in UTC, and the one way to make a stored moment comparable with it."""
from __future__ import annotations

from datetime import date, datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A moment read back from a database: SQLite gives naive UTC, PostgreSQL an aware value."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def runs_on(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Does a period (an employment, a grant, a line management) include ``day``? An open end runs
    for ever; one that ends before it starts includes no day. ``canopy_kit.db.rows.running_on``
    is the same rule in SQL."""
    return starts_on <= day and (ends_on is None or ends_on >= day)

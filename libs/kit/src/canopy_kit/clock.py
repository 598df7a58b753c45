"""The time, always in UTC, and the one way to make a stored moment comparable with it."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A moment read back from a database: SQLite gives naive UTC, PostgreSQL an aware value."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)

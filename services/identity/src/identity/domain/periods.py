"""Periods with a first and an optional last day: employments, role grants, line management."""
from __future__ import annotations

from datetime import date, timedelta


def running_on(starts_on: date, ends_on: date | None, on: date) -> bool:
    """Does the period include ``on``? An open end runs for ever; a period that ends before it
    starts (line management ended before it began) includes no day."""
    return starts_on <= on and (ends_on is None or ends_on >= on)


def day_before(day: date) -> date:
    return day - timedelta(days=1)

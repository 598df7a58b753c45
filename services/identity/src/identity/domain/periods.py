"""Periods with a first and an optional last day: employments, role grants, line management."""
from __future__ import annotations

from datetime import date, timedelta

from canopy_kit.clock import runs_on as running_on  # noqa: F401  (the kit's one rule, as identity's rules name it)


def day_before(day: date) -> date:
    return day - timedelta(days=1)

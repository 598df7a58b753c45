"""Dates as the APIs write them, and the school year they fall in. In England a school year runs
from 1 September to 31 August and is named by the calendar year it starts in (2026 is
"2026-27"), as reporting names its years."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping

FIRST_MONTH = 9  # a school year starts on 1 September


def as_day(value: Any) -> date | None:
    """An ISO date as the APIs write it (or the day of an ISO moment); None if blank or no date."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def academic_year(day: date) -> int:
    """The school year ``day`` falls in, named by its first calendar year."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def year_bounds(year: int) -> tuple[date, date]:
    """The school year's first and last day."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)


def in_year(activities: Iterable[Mapping[str, Any]], year: int) -> list[Mapping[str, Any]]:
    """The activities that start in the school year (the year an activity counts in)."""
    first, last = year_bounds(year)
    return [a for a in activities if (day := as_day(a.get("starts_on"))) and first <= day <= last]

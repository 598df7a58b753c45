"""Academic years: in England a school year runs from 1 September to 31 August. A year is named by
the calendar year it starts in (2025 is "2025-26")."""
from __future__ import annotations

from datetime import date

FIRST_MONTH = 9


def academic_year(day: date) -> int:
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def current(today: date | None = None) -> int:
    """The academic year ``today`` (by default the real today) falls in."""
    return academic_year(today or date.today())


def label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def bounds(year: int) -> tuple[date, date]:
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)

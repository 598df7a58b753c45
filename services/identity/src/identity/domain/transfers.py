"""Moving a person between schools, and recording a leaver.

A transfer ends the employment being left on the day before ``effective_on`` and starts one at
the new school on ``effective_on``: the same person, with the whole history. A leaver's
employments, roles and line management end on their last day, which has come.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from canopy_kit.errors import Conflict, Invalid
from identity.domain.periods import day_before, running_on


@dataclass(frozen=True)
class Job:
    """An employment, as the transfer rules see it."""
    person_id: str
    school_id: str
    job_title: str
    staff_category: str
    fte: Decimal
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class Move:
    """What a transfer does: the last day at the old school, and the job at the new one."""
    last_day: date
    job_title: str
    staff_category: str
    fte: Decimal


def plan_transfer(leaving: Job, *, person_id: str, to_school_id: str, effective_on: date,
                  job_title: str | None = None, staff_category: str | None = None,
                  fte: Decimal | None = None) -> Move:
    """The move, if ``leaving`` can be left for ``to_school_id`` from ``effective_on``; the new job
    is the old one unless the request says otherwise."""
    if leaving.person_id != person_id:
        raise Invalid.on("from_employment_id", "is not an employment of this person")
    if leaving.school_id == to_school_id:
        raise Invalid.on("to_school_id", "is the school the person already works at")
    last_day = day_before(effective_on)
    if not running_on(leaving.starts_on, leaving.ends_on, last_day):
        raise Invalid.on("effective_on", "the employment being left must still run the day before")
    return Move(last_day=last_day, job_title=job_title or leaving.job_title,
                staff_category=staff_category or leaving.staff_category,
                fte=leaving.fte if fte is None else fte)


def check_leaver(*, last_day: date, today: date, starts_later: bool) -> None:
    """May a leaver be recorded with this last day? Not before it has come, and not while an
    employment of theirs starts after it (``starts_later``): that one would be left running."""
    if last_day > today:
        raise Invalid.on("last_day", "record a leaver on or after their last day")
    if starts_later:
        raise Conflict("the person has an employment starting after their last day; end or remove it first")

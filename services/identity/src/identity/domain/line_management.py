"""Line management: who appraises whom, at which school, over which dates.

One current appraiser per person per school: a new assignment ends the running one the day before
it starts. Periods never overlap, nobody manages themselves, and nobody ends up (directly or
through others) managing their own manager on any day. Line management at a school lasts no
longer than the employment there of the person managed or managing (``outlives``); a period that
was to start after that employment's last day ends on that day, before it starts: it is empty and
never current.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from canopy_kit.errors import Conflict, Invalid
from identity.domain.periods import day_before

TRUST_MANAGERS = ("trust_leader", "trust_admin")  # may appraise without working at the school


def would_cycle(person_id: str, manager_id: str, managers_of: Callable[[str], set[str]]) -> bool:
    """Is ``person_id`` already above ``manager_id`` in the chain of line managers (on the day
    ``managers_of`` answers for: whom each person is managed by)?"""
    seen, frontier = set(), {manager_id}
    while frontier:
        if person_id in frontier:
            return True
        seen |= frontier
        frontier = set().union(*(managers_of(m) for m in frontier)) - seen
    return False


def check_assignment(*, person_id: str, manager_id: str, person_works_there: bool, manager_may_manage_there: bool,
                     managers_of: Callable[[str], set[str]]) -> None:
    """May ``manager_id`` become ``person_id``'s line manager at a school from a day? The answers
    about that school and day are given: whether the person works there, whether the manager
    works there or holds a trust-wide role (``TRUST_MANAGERS``), and whom each person is managed
    by that day (asked last, and only as far up the chain as needed)."""
    if person_id == manager_id:
        raise Invalid.on("manager_id", "a person cannot be their own line manager")
    if not person_works_there:
        raise Invalid.on("school_id", "the person does not work at this school on starts_on")
    if not manager_may_manage_there:
        raise Invalid.on("manager_id", "the manager does not work at this school on starts_on")
    if would_cycle(person_id, manager_id, managers_of):
        raise Invalid.on("manager_id", "this would make a cycle: the person already manages this manager, "
                                       "directly or through others")


def end_before(*, starts_on: date, existing_starts_on: date, existing_ends_on: date | None) -> date:
    """The day an existing period of the same person at the same school, which overlaps a new one
    from ``starts_on``, ends: a running one that began earlier ends the day before; any other
    overlap is refused."""
    if existing_starts_on < starts_on and existing_ends_on is None:
        return day_before(starts_on)
    raise Conflict.on("starts_on", "overlaps another appraiser period for this person at this school "
                                   f"(from {existing_starts_on.isoformat()})")


def check_end(*, starts_on: date, ended_on: date | None, ends_on: date) -> None:
    if ends_on < starts_on:
        raise Invalid.on("ends_on", "must not be before the period started")
    if ended_on is not None and ended_on <= ends_on:
        raise Conflict(f"this line management already ended on {ended_on.isoformat()}")


def outlives(last_day: date, starts_on: date, ends_on: date | None, still_there: Callable[[date], bool]) -> bool:
    """Must a line-management period end on ``last_day``, the last day of an employment at its school
    of someone it names (managed or managing)? Yes if it runs on any later day, however late it
    starts (line management an import made that day starts after a transfer's last day, and would
    otherwise run on at the old school), unless that person still works at the school, through
    another employment, on the next day it runs (``still_there``). The importer applies the same
    rule to its rows; a period ended this way that starts after ``last_day`` is empty."""
    if ends_on is not None and ends_on <= last_day:
        return False
    return not still_there(max(last_day + timedelta(days=1), starts_on))

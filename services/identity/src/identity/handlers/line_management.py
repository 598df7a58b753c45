"""Line management: who appraises whom, at which school, over which dates.

One current appraiser per person per school: a new assignment ends the running one the day before
it starts. Periods never overlap, nobody manages themselves, and nobody ends up (directly or through
others) managing their own manager on any day. Line management at a school lasts no longer than the
employment there of the person managed or managing (``outlives``); a period that was to start after
that employment's last day ends on that day, before it starts: it is empty and never current.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Callable

from sqlalchemy import and_, or_, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from identity.db import employments, line_managers, people, role_grants, schools
from identity.handlers.common import get_row, line_payload, new_id, reload

TRUST_MANAGERS = ("trust_leader", "trust_admin")  # may appraise without working at the school


def _running(table_starts, table_ends, on: date):
    return and_(table_starts <= on, or_(table_ends.is_(None), table_ends >= on))


def _employed_at(uow: UnitOfWork, person_id: str, school_id: str, on: date) -> bool:
    return uow.session.execute(select(employments.c.id).where(
        employments.c.person_id == person_id, employments.c.school_id == school_id,
        _running(employments.c.starts_on, employments.c.ends_on, on))).first() is not None


def _holds_trust_role(uow: UnitOfWork, person_id: str, on: date) -> bool:
    return uow.session.execute(select(role_grants.c.id).where(
        role_grants.c.person_id == person_id, role_grants.c.scope_type == "trust",
        role_grants.c.role.in_(TRUST_MANAGERS),
        _running(role_grants.c.valid_from, role_grants.c.valid_to, on))).first() is not None


def managers_of(uow: UnitOfWork, person_id: str, on: date) -> set[str]:
    return set(uow.session.execute(select(line_managers.c.manager_id).where(
        line_managers.c.person_id == person_id,
        _running(line_managers.c.starts_on, line_managers.c.ends_on, on))).scalars())


def would_cycle(uow: UnitOfWork, person_id: str, manager_id: str, on: date) -> bool:
    """Is ``person_id`` already above ``manager_id`` in the chain of line managers on that day?"""
    seen, frontier = set(), {manager_id}
    while frontier:
        if person_id in frontier:
            return True
        seen |= frontier
        frontier = set().union(*(managers_of(uow, m, on) for m in frontier)) - seen
    return False


def assign_line_manager(uow: UnitOfWork, *, trust_id: str, person_id: str, manager_id: str, school_id: str,
                        starts_on: date, actor_id: str | None = None) -> str:
    get_row(uow, people, person_id, trust_id, "person", lock=True)
    get_row(uow, people, manager_id, trust_id, "person")
    get_row(uow, schools, school_id, trust_id, "school")
    if person_id == manager_id:
        raise field_error("manager_id", "a person cannot be their own line manager")
    if not _employed_at(uow, person_id, school_id, starts_on):
        raise field_error("school_id", "the person does not work at this school on starts_on")
    if not (_employed_at(uow, manager_id, school_id, starts_on) or _holds_trust_role(uow, manager_id, starts_on)):
        raise field_error("manager_id", "the manager does not work at this school on starts_on")
    if would_cycle(uow, person_id, manager_id, starts_on):
        raise field_error("manager_id", "this would make a cycle: the person already manages this manager, "
                                        "directly or through others", 422)
    for existing in uow.session.execute(select(line_managers).where(
            line_managers.c.person_id == person_id, line_managers.c.school_id == school_id,
            or_(line_managers.c.ends_on.is_(None),  # an empty period (see ``outlives``) overlaps nothing
                and_(line_managers.c.ends_on >= starts_on, line_managers.c.ends_on >= line_managers.c.starts_on)))
            ).all():
        if existing.starts_on < starts_on and existing.ends_on is None:
            end_line_management(uow, trust_id=trust_id, assignment_id=existing.id,
                                ends_on=starts_on - timedelta(days=1), actor_id=actor_id)
        else:
            raise field_error("starts_on", "overlaps another appraiser period for this person at this school "
                                           f"(from {existing.starts_on.isoformat()})", 409)
    assignment_id = new_id()
    uow.session.execute(line_managers.insert().values(
        id=assignment_id, trust_id=trust_id, person_id=person_id, manager_id=manager_id, school_id=school_id,
        starts_on=starts_on, ends_on=None))
    uow.publish("identity.line_manager.assigned", line_payload(reload(uow, line_managers, assignment_id)),
                trust_id=trust_id, school_id=school_id, actor_id=actor_id)
    return assignment_id


def end_line_management(uow: UnitOfWork, *, trust_id: str, assignment_id: str, ends_on: date,
                        actor_id: str | None = None) -> None:
    row = get_row(uow, line_managers, assignment_id, trust_id, "line management", lock=True)
    if ends_on < row.starts_on:
        raise field_error("ends_on", "must not be before the period started")
    if row.ends_on is not None and row.ends_on <= ends_on:
        raise ApiError(409, f"this line management already ended on {row.ends_on.isoformat()}")
    _close(uow, trust_id, row, ends_on, actor_id)


def _close(uow: UnitOfWork, trust_id: str, row, ends_on: date, actor_id: str | None) -> None:
    uow.session.execute(update(line_managers).where(line_managers.c.id == row.id).values(ends_on=ends_on))
    uow.publish("identity.line_manager.ended", line_payload(reload(uow, line_managers, row.id)),
                trust_id=trust_id, school_id=row.school_id, actor_id=actor_id)


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


def end_open_assignments(uow: UnitOfWork, *, trust_id: str, person_id: str, school_id: str | None,
                         ends_on: date, actor_id: str | None = None) -> None:
    """End on ``ends_on`` the line management that ``outlives`` the person's employment (at one
    school, or everywhere), where they are managed or manage: when an employment ends, a person
    transfers or leaves. The employment rows must already say so."""
    query = select(line_managers).where(
        or_(line_managers.c.person_id == person_id, line_managers.c.manager_id == person_id),
        or_(line_managers.c.ends_on.is_(None), line_managers.c.ends_on > ends_on))
    if school_id is not None:
        query = query.where(line_managers.c.school_id == school_id)
    query = query.order_by(line_managers.c.starts_on, line_managers.c.id).with_for_update()
    for row in uow.session.execute(query).all():
        if outlives(ends_on, row.starts_on, row.ends_on, partial(_employed_at, uow, person_id, row.school_id)):
            _close(uow, trust_id, row, ends_on, actor_id)

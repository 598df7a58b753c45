"""Reads: what the API shows, filtered by the caller's ``PortfolioAccess``. Lists come back as
statements for the API to page through; single items as rows of the caller's trust (or NotFound)."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import Column, Select, and_, func, or_, select, true
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Period
from canopy_kit.clock import as_utc
from canopy_kit.db.rows import row_in_trust
from portfolio.access import PortfolioAccess
from portfolio.domain.programme import CANCELLED
from portfolio.tables import activities, bookings, course_sessions, courses, cpd_requests, evaluations, evidence


def _inside(windows: list[Period] | None, column: Column):
    """The rows dated inside the periods (None: every row)."""
    if windows is None:
        return true()
    return or_(*(and_(column >= p.starts_on, column <= (p.ends_on or date.max)) for p in windows))


# -- activities, evidence, evaluations ----------------------------------------------------------------
def _records_of(caller: PortfolioAccess, person_id: str, table, dated: str) -> Select:
    """A person's rows of ``table`` the caller may read (by the day in column ``dated``), newest first."""
    day = table.c[dated]
    return (select(table).where(table.c.person_id == person_id, _inside(caller.record_windows(person_id), day))
            .order_by(day.desc(), table.c.id))


def activities_of(caller: PortfolioAccess, person_id: str) -> Select:
    return _records_of(caller, person_id, activities, "starts_on")


def activity(session: Session, trust_id: str, activity_id: str) -> Row:
    return row_in_trust(session, activities, activity_id, trust_id, "activity")


def evidence_of(caller: PortfolioAccess, person_id: str) -> Select:
    return _records_of(caller, person_id, evidence, "added_on")


def evidence_item(session: Session, trust_id: str, evidence_id: str) -> Row:
    return row_in_trust(session, evidence, evidence_id, trust_id, "evidence")


def due_evaluations(person_id: str, today: date) -> Select:
    """The person's evaluations due by ``today`` and not yet submitted, soonest first."""
    return (select(evaluations.c.id, evaluations.c.activity_id, activities.c.title.label("activity_title"),
                   evaluations.c.stage, evaluations.c.due_on)
            .join(activities, activities.c.id == evaluations.c.activity_id)
            .where(evaluations.c.person_id == person_id, evaluations.c.submitted_at.is_(None),
                   evaluations.c.due_on <= today)
            .order_by(evaluations.c.due_on, evaluations.c.id))


# -- CPD requests -----------------------------------------------------------------------------------
def requests_seen_by(caller: PortfolioAccess, status: str | None = None) -> Select:
    """The caller's own requests and those of the schools they decide for, newest first."""
    query = select(cpd_requests).where(cpd_requests.c.trust_id == caller.trust_id, or_(
        cpd_requests.c.person_id == caller.person_id, cpd_requests.c.school_id.in_(caller.request_schools())))
    if status:
        query = query.where(cpd_requests.c.status == status)
    return query.order_by(cpd_requests.c.created_at.desc(), cpd_requests.c.id)


def cpd_request(session: Session, trust_id: str, request_id: str) -> Row:
    return row_in_trust(session, cpd_requests, request_id, trust_id, "CPD request")


# -- the programme ----------------------------------------------------------------------------------
def courses_of(trust_id: str) -> Select:
    return select(courses).where(courses.c.trust_id == trust_id).order_by(courses.c.title)


def course(session: Session, trust_id: str, course_id: str) -> Mapping[str, Any]:
    return row_in_trust(session, courses, course_id, trust_id, "course")._mapping


def with_sessions(session: Session, trust_id: str, course_rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each course with its sessions, soonest first, and the places taken on each: two reads for
    the whole page, both inside the caller's trust."""
    ids = [row["id"] for row in course_rows]
    if not ids:
        return []
    sessions = session.execute(select(course_sessions).where(
        course_sessions.c.trust_id == trust_id, course_sessions.c.course_id.in_(ids))
        .order_by(course_sessions.c.held_on)).all()
    taken = dict(session.execute(
        select(bookings.c.session_id, func.count())
        .where(bookings.c.trust_id == trust_id, bookings.c.status != CANCELLED,
               bookings.c.session_id.in_([s.id for s in sessions]))
        .group_by(bookings.c.session_id)).all()) if sessions else {}
    by_course = defaultdict(list)
    for s in sessions:
        by_course[s.course_id].append({**s._mapping, "booked": taken.get(s.id, 0)})
    return [{**row, "sessions": by_course[row["id"]]} for row in course_rows]


def _bookings() -> Select:
    """Bookings with the session they hold a place on: its course and day."""
    return (select(bookings, course_sessions.c.course_id, course_sessions.c.held_on)
            .join(course_sessions, course_sessions.c.id == bookings.c.session_id))


def bookings_of(trust_id: str, person_id: str) -> Select:
    """A person's bookings, the soonest session first."""
    return (_bookings().where(bookings.c.trust_id == trust_id, bookings.c.person_id == person_id)
            .order_by(course_sessions.c.held_on, bookings.c.id))


def session_bookings(session: Session, trust_id: str, session_id: str) -> Select:
    """Who holds or held a place on one session of the caller's trust (NotFound otherwise)."""
    row_in_trust(session, course_sessions, session_id, trust_id, "session")
    return (_bookings().where(bookings.c.trust_id == trust_id, bookings.c.session_id == session_id)
            .order_by(bookings.c.booked_at, bookings.c.id))


# -- the export -------------------------------------------------------------------------------------
def _plain(value):
    """A stored value as the API writes it (ADR 0006): instants in UTC, decimals as numbers."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, table, person_id: str, trust_id: str, order) -> list[dict]:
    rows = session.execute(select(table).where(table.c.person_id == person_id, table.c.trust_id == trust_id)
                           .order_by(order)).mappings()
    out = []
    for row in rows:
        item = {k: _plain(v) for k, v in row.items() if k not in ("trust_id", "storage_key")}
        for name in ("linked_standards", "linked_objectives"):
            if name in item:
                item[name] = json.loads(item[name])
        out.append(item)
    return out


def portfolio_export(session: Session, person_id: str, trust_id: str) -> dict:
    """Every row of the person's portfolio, from every school, as plain data."""
    return {
        "person_id": person_id,
        "activities": _rows(session, activities, person_id, trust_id, activities.c.starts_on),
        "evaluations": _rows(session, evaluations, person_id, trust_id, evaluations.c.due_on),
        "evidence": _rows(session, evidence, person_id, trust_id, evidence.c.added_on),
        "requests": _rows(session, cpd_requests, person_id, trust_id, cpd_requests.c.created_at),
        "bookings": _rows(session, bookings, person_id, trust_id, bookings.c.booked_at),
    }

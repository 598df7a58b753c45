"""The trust's CPD programme: courses with sessions and places; staff book; attendance is marked,
and an attended session becomes an activity in each attendee's portfolio."""
from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import func, select, update

from canopy_kit.db.rows import new_id, now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from portfolio.commands.activities import record_activities
from portfolio.commands.common import standards_json
from portfolio.domain.programme import CANCELLED, check_attendance, check_booking, check_cancel
from portfolio.tables import bookings, course_sessions, courses


def _booking_payload(row, course_id: str) -> dict:
    return {"booking_id": row.id, "course_id": course_id, "session_id": row.session_id, "person_id": row.person_id,
            "status": row.status, "activity_id": row.activity_id}


def publish_course(uow: UnitOfWork, *, trust_id: str, actor_id: str, fields: dict, sessions: list[dict]) -> str:
    course_id = new_id()
    uow.session.execute(courses.insert().values(
        id=course_id, trust_id=trust_id, title=fields["title"], description=fields["description"],
        activity_type=fields["activity_type"], provider=fields.get("provider"), hours=fields["hours"],
        linked_standards=standards_json(fields.get("linked_standards", [])), created_by=actor_id, created_at=now()))
    if sessions:
        uow.session.execute(course_sessions.insert(), [{"id": new_id(), "trust_id": trust_id, "course_id": course_id,
                                                         **session} for session in sessions])
    uow.publish("portfolio.course.published", {
        "course_id": course_id, "title": fields["title"], "activity_type": fields["activity_type"],
        "hours": Decimal(fields["hours"]), "sessions": len(sessions)}, trust_id=trust_id, actor_id=actor_id)
    return course_id


def book(uow: UnitOfWork, *, trust_id: str, person_id: str, session_id: str) -> str:
    # Lock the session row: two people taking the last place at once must not both get it.
    session = row_in_trust(uow.session, course_sessions, session_id, trust_id, "session", lock=True)
    taken = uow.session.execute(select(func.count()).select_from(bookings).where(
        bookings.c.session_id == session_id, bookings.c.status != CANCELLED)).scalar_one()
    existing = uow.session.execute(select(bookings).where(
        bookings.c.session_id == session_id, bookings.c.person_id == person_id)).first()
    check_booking(existing.status if existing is not None else None, taken, session.places)
    if existing is not None:
        booking_id = existing.id
        uow.session.execute(update(bookings).where(bookings.c.id == booking_id)
                            .values(status="booked", booked_at=now()))
    else:
        booking_id = new_id()
        uow.session.execute(bookings.insert().values(id=booking_id, trust_id=trust_id, session_id=session_id,
                                                     person_id=person_id, status="booked", booked_at=now()))
    row = uow.session.execute(select(bookings).where(bookings.c.id == booking_id)).one()
    uow.publish("portfolio.programme.booked", _booking_payload(row, session.course_id), trust_id=trust_id,
                actor_id=person_id)
    return booking_id


def cancel(uow: UnitOfWork, *, trust_id: str, person_id: str, booking_id: str) -> None:
    row = row_in_trust(uow.session, bookings, booking_id, trust_id, "booking", lock=True)
    check_cancel(row.person_id, person_id, row.status)
    uow.session.execute(update(bookings).where(bookings.c.id == booking_id).values(status=CANCELLED))


def mark_attendance(uow: UnitOfWork, *, trust_id: str, actor_id: str, session_id: str, attended: list[str],
                    absent: list[str]) -> list[str]:
    """Attended bookings become activities (dated the session day); returns the activity ids."""
    session = row_in_trust(uow.session, course_sessions, session_id, trust_id, "session")
    course = uow.session.execute(select(courses).where(courses.c.id == session.course_id)).one()
    booked = {r.person_id: r for r in uow.session.execute(select(bookings).where(
        bookings.c.session_id == session_id, bookings.c.status == "booked")).all()}
    check_attendance(booked, attended + absent)
    fields = {"title": course.title, "activity_type": course.activity_type, "delivery": "internal",
              "provider": course.provider, "starts_on": session.held_on, "ends_on": session.held_on,
              "hours": course.hours, "cost": Decimal(0), "cover_needed": False,
              "linked_standards": json.loads(course.linked_standards), "linked_objectives": [], "reflection": None}
    activity_ids = record_activities(uow, trust_id=trust_id, person_ids=attended, fields=fields, source="programme",
                                     actor_id=actor_id) if attended else []
    for person_id, activity_id in zip(attended, activity_ids):
        uow.session.execute(update(bookings).where(bookings.c.id == booked[person_id].id)
                            .values(status="attended", activity_id=activity_id))
    for person_id in absent:
        uow.session.execute(update(bookings).where(bookings.c.id == booked[person_id].id).values(status="absent"))
    for person_id in attended:
        row = uow.session.execute(select(bookings).where(bookings.c.id == booked[person_id].id)).one()
        uow.publish("portfolio.programme.attended", _booking_payload(row, course.id), trust_id=trust_id,
                    actor_id=actor_id)
    return activity_ids

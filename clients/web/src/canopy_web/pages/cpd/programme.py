"""The trust's programme: its courses and their sessions, booking and cancelling a place,
publishing a course, and recording a session's attendance."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Iterable, Mapping

from flask import Blueprint, abort, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS
from canopy_web.lists import every_item
from canopy_web.pages.cpd.common import SERVICE, _back, may_assign, runs_programme
from canopy_web.people import names_of
from canopy_web.school_years import as_day
from canopy_web.views import notify, page

SESSION_ROWS = 4  # blank sessions the new-course form offers (the API takes a course's sessions with it)
BOOKING_STATUSES = {"booked": "Booked", "cancelled": "Cancelled", "attended": "Attended", "absent": "Absent"}


def places_left(session: Mapping[str, Any]) -> int:
    return max(0, int(session.get("places") or 0) - int(session.get("booked") or 0))


def held_bookings(bookings: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The caller's places still held (not cancelled), by session."""
    return {booking["session_id"]: booking for booking in bookings if booking.get("status") != "cancelled"}


def split_bookings(bookings: Iterable[Mapping[str, Any]], today: date) -> tuple[list, list]:
    """(coming, past) bookings not cancelled, each by date; a cancelled place is no booking."""
    held = [b for b in bookings if b.get("status") != "cancelled"]
    coming = [b for b in held if (as_day(b.get("held_on")) or today) >= today]
    past = [b for b in held if (as_day(b.get("held_on")) or today) < today]
    return (sorted(coming, key=lambda b: str(b.get("held_on"))),
            sorted(past, key=lambda b: str(b.get("held_on")), reverse=True))


def attendance_body(booked: Iterable[str], attended: Iterable[str]) -> dict[str, list[str]]:
    """Everyone still booked is marked: those ticked attended, the rest absent."""
    came = set(attended)
    booked = list(dict.fromkeys(booked))
    return {"attended": [p for p in booked if p in came], "absent": [p for p in booked if p not in came]}


def course_body(form) -> dict[str, Any]:
    """The new-course form as the API's course: the session rows left blank are not sessions."""
    body: dict[str, Any] = texts(form, ("title", "description"), optional=("provider",))
    body["activity_type"] = form.get("activity_type", "") or "trust_programme"
    body["hours"] = number_or_text(form.get("hours"))
    sessions = []
    for i in range(SESSION_ROWS):
        row = {name: form.get(f"sessions.{i}.{name}", "").strip() for name in ("held_on", "location", "places")}
        if any(row.values()):
            places = number_or_text(row["places"])
            row["places"] = int(places) if isinstance(places, float) and places.is_integer() else places
            sessions.append(row)
    body["sessions"] = sessions
    return given(body)


def _courses() -> list[dict[str, Any]]:
    return list(every_item(SERVICE, "/v1/programme/courses"))


def _my_bookings() -> list[dict[str, Any]]:
    return list(every_item(SERVICE, "/v1/programme/bookings"))


def _uuid(value: str | None) -> str | None:
    """An id taken from a query string, only if it is one (it goes into an API's path)."""
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return None


def add_routes(blp: Blueprint) -> None:
    @blp.get("/programme")
    @auth.signed_in
    def programme():
        courses, bookings = _courses(), _my_bookings()
        today = date.today()
        coming, past = split_bookings(bookings, today)
        principal = auth.principal()
        return page("cpd/programme.html", courses=courses, held=held_bookings(bookings), coming=coming, past=past,
                    titles={c["id"]: c["title"] for c in courses}, today=today, places_left=places_left,
                    runs=runs_programme(principal), assigns=may_assign(principal), types=ACTIVITY_TYPE_LABELS,
                    statuses=BOOKING_STATUSES)

    @blp.get("/programme/courses/<uuid:course_id>")
    @auth.signed_in
    def course(course_id):
        found = auth.get(SERVICE, f"/v1/programme/courses/{course_id}")
        return page("cpd/course.html", course=found, held=held_bookings(_my_bookings()), today=date.today(),
                    places_left=places_left, runs=runs_programme(auth.principal()), types=ACTIVITY_TYPE_LABELS,
                    statuses=BOOKING_STATUSES)

    @blp.post("/programme/sessions/<uuid:session_id>/book")
    @auth.signed_in
    def book(session_id):
        return _place(f"/v1/programme/sessions/{session_id}/bookings", "Your place is booked", "Not booked")

    @blp.post("/programme/bookings/<uuid:booking_id>/cancel")
    @auth.signed_in
    def cancel(booking_id):
        return _place(f"/v1/programme/bookings/{booking_id}/cancel", "Your booking is cancelled", "Not cancelled")

    @blp.route("/programme/courses/new", methods=["GET", "POST"])
    @auth.signed_in
    def new_course():
        if request.method == "GET":
            return page("cpd/course_form.html", key=new_idempotency_key(), types=ACTIVITY_TYPE_LABELS,
                        rows=SESSION_ROWS)
        try:
            created = auth.post(SERVICE, "/v1/programme/courses", json=course_body(request.form),
                                idempotency_key=request.form.get("idempotency_key"))
        except ApiError as error:
            if not error.is_refusal:
                raise
            return page("cpd/course_form.html", error=error, key=request.form.get("idempotency_key"),
                        types=ACTIVITY_TYPE_LABELS, rows=SESSION_ROWS)
        notify(f"Published “{request.form.get('title', '').strip()}”.")
        return redirect(url_for("cpd.course", course_id=created["id"]), code=303)

    @blp.route("/programme/sessions/<uuid:session_id>/attendance", methods=["GET", "POST"])
    @auth.signed_in
    def attendance(session_id):
        session_id = str(session_id)  # as the API's ids compare
        bookings = list(every_item(SERVICE, f"/v1/programme/sessions/{session_id}/bookings"))
        # The course names the session's day and place; the bookings name the course, the link too.
        course_id = bookings[0]["course_id"] if bookings else _uuid(request.values.get("course"))
        found = auth.get(SERVICE, f"/v1/programme/courses/{course_id}") if course_id else None
        session = next((s for s in (found or {}).get("sessions", []) if s["id"] == session_id), None)
        if session is None:
            abort(404)
        names = names_of({b["person_id"] for b in bookings})
        error = None
        if request.method == "POST":
            booked = [b["person_id"] for b in bookings if b["status"] == "booked"]
            try:
                ids = auth.post(SERVICE, f"/v1/programme/sessions/{session_id}/attendance",
                                json=attendance_body(booked, request.form.getlist("attended")))["ids"]
            except ApiError as error_:
                if not error_.is_refusal:
                    raise
                error = error_
            else:
                notify(f"Attendance recorded: {len(ids)} attended, {len(booked) - len(ids)} absent.")
                return redirect(url_for("cpd.attendance", session_id=session_id, course=course_id), code=303)
        return page("cpd/attendance.html", error=error, course=found, session=session, session_id=session_id,
                    bookings=sorted(bookings, key=lambda b: names.get(b["person_id"], "~")), names=names,
                    statuses=BOOKING_STATUSES)


def _place(path: str, done: str, refused: str):
    """Book or cancel one's place, then back to the page it was done from, saying which session
    (or the API's reason: full, already booked)."""
    back = _back(url_for("cpd.programme"))
    try:
        auth.call("POST", SERVICE, path)
    except ApiError as error:
        if not error.is_refusal:
            raise
        notify(f"{refused}: {error.message}.")
        return redirect(back, code=303)
    notify(f"{done}{_session_words(request.form)}.")
    return redirect(back, code=303)


def _session_words(form) -> str:
    """": Coaching, 7 Dec 2026": what was booked, as the button's form names it."""
    day = as_day(form.get("held_on", "").strip())
    parts = [p for p in (form.get("course_title", "").strip(), day.strftime("%-d %b %Y") if day else "") if p]
    return f": {', '.join(parts)}" if parts else ""

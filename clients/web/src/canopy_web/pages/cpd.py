"""CPD requests waiting for a decision at the schools one decides for (one at a time or many at
once), and the trust's programme: courses and their sessions to book, attendance to record, and
one activity assigned to many people at once ("flood fill").

Portfolio decides who may do what; the pages only leave out what it would refuse: deciding is for
a school's CPD lead or headteacher, running the programme for the trust's CPD team (trust admin,
trust leader or a CPD lead at trust scope), assigning also for a school's CPD lead or head for
their own school's staff.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from flask import Blueprint, abort, redirect, request, url_for

from canopy_kit.auth.principal import Principal
from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS, DELIVERY_LABELS
from canopy_web.lists import every_item, one_page, page_number, school_names
from canopy_web.people import active_staff, names_of, person_name
from canopy_web.school_years import as_day
from canopy_web.views import notify, page

SERVICE = "portfolio"
DECIDERS = frozenset({"cpd_lead", "headteacher"})  # of a school: they decide its CPD requests
PROGRAMME_RUNNERS = frozenset({"trust_admin", "trust_leader", "cpd_lead"})  # at trust scope
PAGE_SIZE = 50
REQUEST_STATUSES = (("pending", "Waiting for a decision"), ("approved", "Approved"), ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"))
DECISIONS = (("approved", "Approve"), ("declined", "Decline"))
SESSION_ROWS = 4  # blank sessions the new-course form offers (the API takes a course's sessions with it)
BOOKING_STATUSES = {"booked": "Booked", "cancelled": "Cancelled", "attended": "Attended", "absent": "Absent"}


# -- what the pages work out (no API) -------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    requests: int
    cost: Decimal
    cover_days: int
    needing_cover: int


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        return Decimal(0)


def school_days(first: date | None, last: date | None) -> int:
    """Weekdays from ``first`` to ``last``, both counted: the days a school would cover."""
    if first is None:
        return 0
    last = last or first
    if last < first:
        return 0
    whole_weeks, rest = divmod((last - first).days + 1, 7)
    days = whole_weeks * 5
    for offset in range(rest):
        if (first + timedelta(days=whole_weeks * 7 + offset)).weekday() < 5:
            days += 1
    return days


def cover_days(item: Mapping[str, Any]) -> int:
    """Days of cover a request asks for: its school days, when it needs cover at all."""
    if not item.get("cover_needed"):
        return 0
    return school_days(as_day(item.get("starts_on")), as_day(item.get("ends_on")))


def request_totals(items: Iterable[Mapping[str, Any]]) -> Totals:
    items = list(items)
    return Totals(requests=len(items), cost=sum((_decimal(item.get("cost")) for item in items), Decimal(0)),
                  cover_days=sum(cover_days(item) for item in items),
                  needing_cover=sum(1 for item in items if item.get("cover_needed")))


def to_decide(items: Iterable[Mapping[str, Any]], me: str, school_id: str | None = None) -> list[Mapping[str, Any]]:
    """The requests of others (the API lists one's own too), at one school if chosen, the soonest
    to start first."""
    shown = [item for item in items if item.get("person_id") != me and (not school_id or item.get("school_id") == school_id)]
    return sorted(shown, key=lambda item: (str(item.get("starts_on") or ""), str(item.get("created_at") or "")))


def decisions_body(request_ids: Iterable[str], decision: str, comment: str | None) -> dict[str, Any]:
    """One decision and note for every request ticked, as the API's bulk decisions take them."""
    note = (comment or "").strip() or None
    return {"decisions": [{"request_id": request_id, "decision": decision, "comment": note}
                          for request_id in dict.fromkeys(map(str, request_ids))]}


def decided_notice(results: Iterable[Mapping[str, Any]]) -> str:
    """"3 requests decided: 2 approved and 1 declined." from the API's answer."""
    decisions = [result.get("decision") for result in results]
    parts = [f"{decisions.count(d)} {d}" for d in ("approved", "declined") if d in decisions]
    count = len(decisions)
    return f"{count} {'request' if count == 1 else 'requests'} decided: {' and '.join(parts)}." if parts else \
        "Nothing was decided."


def decision_error(error: ApiError) -> ApiError:
    """The bulk endpoint names fields ``decisions.3.comment``: shown beside the one note field
    (every request had the same note), a reason about the list itself beside the ticks."""
    errors: dict[str, list[str]] = {}
    for name, reasons in error.errors.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "decisions" and parts[1].isdigit():
            name = parts[2]
        elif name == "decisions":
            name = "request_id"
        errors.setdefault(name, [])
        errors[name] += [reason for reason in reasons if reason not in errors[name]]
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


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


def assignment_body(form) -> dict[str, Any]:
    """The flood-fill form as the API's assignment: one activity, everyone ticked."""
    body: dict[str, Any] = texts(form, ("title", "activity_type", "delivery", "starts_on", "ends_on"),
                                 optional=("provider", "school_id"))
    body["ends_on"] = body["ends_on"] or body["starts_on"]  # a one-day activity, as most are
    body["hours"] = number_or_text(form.get("hours"))
    body["cost"] = number_or_text(form.get("cost")) or 0
    body["cover_needed"] = form.get("cover_needed") == "yes"
    body["person_ids"] = list(dict.fromkeys(form.getlist("person_ids")))
    return given(body)


def runs_programme(principal: Principal) -> bool:
    return principal.has_role(PROGRAMME_RUNNERS)


def deciding_schools(principal: Principal) -> set[str]:
    """Schools whose requests the person decides (and whose staff they may assign learning to)."""
    return principal.schools_with(DECIDERS)


def may_assign(principal: Principal) -> bool:
    return runs_programme(principal) or bool(deciding_schools(principal))


# -- reading through the APIs ---------------------------------------------------------------------
def _requests(status: str | None) -> list[dict[str, Any]]:
    return list(every_item(SERVICE, "/v1/cpd-requests", {"status": status}))


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


def _back(default: str) -> str:
    return auth.safe_next(request.form.get("next") or request.args.get("next")) or default


# -- the pages ------------------------------------------------------------------------------------
def blueprint() -> Blueprint:
    blp = Blueprint("cpd", __name__, url_prefix="/cpd")

    def requests_page(*, error: ApiError | None = None, **extra):
        """The waiting list as the filters in the query (or the form sent from it) say: by default,
        what waits for a decision at every school one decides for."""
        status = request.values.get("status", "pending")
        status = status if status in dict(REQUEST_STATUSES) else ""
        school = request.values.get("school", "")
        principal = auth.principal()
        mine = deciding_schools(principal)
        shown = to_decide(_requests(status or None), principal.person_id, school or None)
        schools = school_names()
        names = names_of({item["person_id"] for item in shown}, {item["school_id"] for item in shown})
        school_choices = sorted(((s, schools.get(s, "A school")) for s in mine | {i["school_id"] for i in shown}),
                                key=lambda choice: choice[1])
        result = one_page(shown, page_number(request.values.get("page")), PAGE_SIZE)
        return page("cpd/requests.html", error=error, result=result, totals=request_totals(shown), names=names,
                    schools=schools, school_choices=school_choices, shown_status=status, school=school,
                    statuses=REQUEST_STATUSES, decisions=DECISIONS, types=ACTIVITY_TYPE_LABELS,
                    cover_days=cover_days, filters={"status": status, **({"school": school} if school else {})},
                    **extra)

    @blp.get("/requests")
    @auth.signed_in
    def requests():
        return requests_page()

    @blp.post("/requests/decisions")
    @auth.signed_in
    def decide_many():
        """One decision and note for every request ticked: all applied, or none."""
        ids = request.form.getlist("request_id")
        filters = {"status": request.form.get("status", "pending"), "school": request.form.get("school", "")}
        if not ids:
            return requests_page(error=ApiError(422, "Tick the requests to decide first.", "invalid",
                                                {"request_id": ["tick at least one request"]}))
        body = decisions_body(ids, request.form.get("bulk_decision", ""), request.form.get("bulk_comment"))
        try:
            results = auth.post(SERVICE, "/v1/cpd-requests/decisions", json=body)
        except ApiError as error:
            if not error.is_refusal:
                raise
            return requests_page(error=decision_error(error), ticked=set(ids))
        notify(decided_notice(results))
        return redirect(url_for("cpd.requests", **{k: v for k, v in filters.items() if v}), code=303)

    @blp.get("/requests/<uuid:request_id>")
    @auth.signed_in
    def request_detail(request_id):
        item = auth.get(SERVICE, f"/v1/cpd-requests/{request_id}")
        return _request_page(item)

    def _request_page(item, error: ApiError | None = None):
        names = names_of({item["person_id"], *([item["decided_by"]] if item.get("decided_by") else [])},
                         [item["school_id"]])
        return page("cpd/request.html", error=error, item=item, names=names, schools=school_names(),
                    decisions=DECISIONS, types=ACTIVITY_TYPE_LABELS, days=cover_days(item))

    @blp.post("/requests/<uuid:request_id>/decision")
    @auth.signed_in
    def decide_one(request_id):
        """From the request's page (with a note), or a row's button (htmx: the row is replaced)."""
        decision = request.form.get("decision", "")
        body = decisions_body([request_id], decision, request.form.get("comment"))
        partial = bool(request.headers.get("HX-Request"))
        try:
            [result] = auth.post(SERVICE, "/v1/cpd-requests/decisions", json=body)
        except ApiError as error:
            if partial or not error.is_refusal:
                raise  # an htmx row: the app shows the API's message in the page's messages
            if request.form.get("from") == "list":
                return requests_page(error=decision_error(error))
            return _request_page(auth.get(SERVICE, f"/v1/cpd-requests/{request_id}"), decision_error(error))
        if partial:
            item = auth.get(SERVICE, f"/v1/cpd-requests/{request_id}")
            status, school = request.form.get("status", "pending"), request.form.get("school", "")
            principal = auth.principal()
            still = to_decide(_requests(status or None), principal.person_id, school or None)
            return page("cpd/_decided.html", item=item, totals=request_totals(still),
                        names=names_of([item["person_id"]], [item["school_id"]]), schools=school_names(),
                        types=ACTIVITY_TYPE_LABELS, notice=decided_notice([result]))
        notify(decided_notice([result]))
        return redirect(_back(url_for("cpd.requests")), code=303)

    # -- the programme ---------------------------------------------------------------------------
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

    @blp.route("/programme/assign", methods=["GET", "POST"])
    @auth.signed_in
    def assign():
        """One activity (an INSET day, a trust session) recorded for many people at once."""
        principal = auth.principal()
        schools = school_names()
        allowed = set(schools) if runs_programme(principal) else deciding_schools(principal)
        choices = sorted(((s, schools.get(s, "A school")) for s in allowed), key=lambda c: c[1])
        school = request.values.get("staff_of", "")
        school = school if school in allowed else (choices[0][0] if len(choices) == 1 else "")
        staff = []
        if school:
            staff = sorted(active_staff(school), key=lambda p: (p.get("family_name", ""), p.get("given_name", "")))
        context = dict(choices=choices, school=school, staff=staff, types=ACTIVITY_TYPE_LABELS,
                       deliveries=DELIVERY_LABELS, person_name=person_name)
        if request.method == "GET":
            return page("cpd/assign.html", key=new_idempotency_key(), ticked=set(), **context)
        ticked = set(request.form.getlist("person_ids"))
        try:
            ids = auth.post(SERVICE, "/v1/activities/assignments", json=assignment_body(request.form),
                            idempotency_key=request.form.get("idempotency_key"))["ids"]
        except ApiError as error:
            if not error.is_refusal:
                raise
            return page("cpd/assign.html", error=error, key=request.form.get("idempotency_key"), ticked=ticked,
                        **context)
        count = len(ids)
        notify(f"“{request.form.get('title', '').strip()}” is recorded for {count} {'person' if count == 1 else 'people'}.")
        return redirect(url_for("cpd.programme"), code=303)

    return blp


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

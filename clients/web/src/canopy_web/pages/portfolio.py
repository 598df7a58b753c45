"""The person's own portfolio: CPD activities with their evidence and impact evaluations, CPD
requests, and the export of everything held. Booking the trust's programme is the ``cpd`` area's.

Everything is read and written through portfolio's public API; the national standards' codes
and the activity types come from the platform's published contracts, as any client would take
them from its SDK.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping
from urllib.parse import quote, unquote

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for

from canopy_contracts.standards import HEADTEACHERS_STANDARDS_2020, TEACHERS_STANDARDS_2012
from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS, activity_type_choices, delivery_choices
from canopy_web.lists import LARGEST_PAGE, every_item, items_before, one_page, page_number
from canopy_web.school_years import academic_year, as_day, in_year, year_bounds, year_label
from canopy_web.views import notify, page

SERVICE = "portfolio"
PAGE_SIZE = 20
REPLAYED = "Idempotent-Replayed"  # the API's header on an answer replayed for a repeated Idempotency-Key

STAGE_LABELS = {"immediate": "Straight after", "follow_up": "Follow-up"}
STATUSES = ("pending", "approved", "declined", "withdrawn")  # a CPD request's, as the API names them
STANDARD_GROUPS = (("Teachers' Standards (2012)", TEACHERS_STANDARDS_2012),
                   ("Headteachers' Standards (2020)", HEADTEACHERS_STANDARDS_2020))
# What portfolio keeps as evidence (it checks each file's content too, and says so when it refuses).
EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".txt")
EVIDENCE_KINDS = "PDF, PNG or JPEG image, Word, Excel, PowerPoint or plain text"
LIST_FIELDS = ("linked_standards", "linked_objectives")  # one form field each for the API's lists


@dataclass(frozen=True)
class Question:
    """One layer of the impact evaluation: a rating 1-5 the API names ``name``; ``low`` and
    ``high`` say what 1 and 5 mean."""
    name: str
    question: str
    low: str
    high: str
    required: bool


# The layered evaluation as portfolio defines it: reaction and learning straight after the
# activity, use in practice (and pupil outcomes where known) at the follow-up.
QUESTIONS = {
    "immediate": (
        Question("reaction", "How worthwhile was it?", "not at all", "very", True),
        Question("learning", "How much did you learn?", "nothing new", "a great deal", True),
    ),
    "follow_up": (
        Question("use_in_practice", "How much have you used it in your practice?", "not yet", "every day", True),
        Question("pupil_outcomes", "What difference has it made to pupils' outcomes?", "none seen", "a clear one",
                 False),
    ),
}


# -- pure helpers ---------------------------------------------------------------------------------
def year_choices(oldest: date | None, newest: date | None, today: date) -> list[tuple[str, str]]:
    """The school years a person's activities span (and this one), newest first."""
    this_year = academic_year(today)
    first = academic_year(oldest) if oldest else this_year
    last = max(this_year, academic_year(newest)) if newest else this_year
    return [(str(year), year_label(year)) for year in range(last, min(first, this_year) - 1, -1)]


def total_hours(activities: Iterable[Mapping[str, Any]]) -> Decimal:
    total = Decimal(0)
    for activity in activities:
        try:
            total += Decimal(str(activity.get("hours") or 0))
        except InvalidOperation:
            continue
    return total


def lines_of(text: str | None) -> list[str]:
    """One objective per line, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def activity_body(form) -> dict[str, Any]:
    """The record-CPD form as portfolio's activity: numbers as numbers, blanks left out."""
    body: dict[str, Any] = texts(form, ("title", "activity_type", "delivery", "starts_on", "ends_on"),
                                 optional=("provider", "school_id", "reflection"))
    body["hours"] = number_or_text(form.get("hours"))
    body["cost"] = number_or_text(form.get("cost"))
    body["cover_needed"] = form.get("cover_needed") == "yes"
    body["linked_standards"] = form.getlist("linked_standards")
    body["linked_objectives"] = lines_of(form.get("linked_objectives"))
    return given(body)


def request_body(form) -> dict[str, Any]:
    """The request-CPD form as portfolio's CPD request (cost and cover are always stated)."""
    body: dict[str, Any] = texts(form, ("title", "activity_type", "starts_on", "ends_on", "reason"),
                                 optional=("provider", "school_id"))
    body["hours"] = number_or_text(form.get("hours"))
    body["cost"] = number_or_text(form.get("cost"))
    body["cover_needed"] = form.get("cover_needed") == "yes"
    return given(body)


def evaluation_body(form, stage: str) -> dict[str, Any]:
    """The ratings of the stage's layers (a blank one sent as null, for the API to judge) and
    the comments."""
    body: dict[str, Any] = {}
    for question in QUESTIONS.get(stage, ()):
        value = form.get(question.name, "").strip()
        body[question.name] = int(value) if value.isdigit() else (value or None)
    comments = form.get("comments", "").strip()
    body["comments"] = comments or None
    return body


def renamed(error: ApiError, names: Mapping[str, str]) -> ApiError:
    """The refusal with its field names as this page's form names them (two forms on one page
    both have a ``title``)."""
    errors = {names.get(name, name): reasons for name, reasons in error.errors.items()}
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


def folded(error: ApiError, names: Iterable[str]) -> ApiError:
    """The reasons about one item of a list field (``linked_objectives.2``) shown beside the
    field itself, saying which item (the form has one field for the whole list)."""
    errors: dict[str, list[str]] = {}
    for name, reasons in error.errors.items():
        head, _dot, rest = name.partition(".")
        if head in names and rest:
            index = rest.split(".", 1)[0]
            number = f"item {int(index) + 1}: " if index.isdigit() else ""
            errors.setdefault(head, []).extend(f"{number}{reason}" for reason in reasons)
        else:
            errors.setdefault(name, []).extend(reasons)
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


def size_label(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def filename_of(disposition: str | None) -> str | None:
    """The file's name in the API's ``Content-Disposition`` (its quoted name escaped as in JSON)."""
    if not disposition:
        return None
    found = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.IGNORECASE)
    if found:
        return unquote(found.group(1)) or None
    found = re.search(r'filename="((?:[^"\\]|\\.)*)"', disposition)
    if not found:
        return None
    try:
        return json.loads(f'"{found.group(1)}"') or None
    except ValueError:
        return found.group(1) or None


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download: a plain ASCII name every browser reads, and the
    real name (RFC 6266 ``filename*``) where it has other characters."""
    name = filename.replace("\r", "").replace("\n", "").replace("/", "_").replace("\\", "_").strip() or "download"
    plain = "".join(c if 32 <= ord(c) < 127 and c != '"' else "_" for c in name)
    header = f'attachment; filename="{plain}"'
    if plain != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def evaluation_state(evaluation: Mapping[str, Any], today: date) -> str:
    """``submitted``, ``due`` (today or earlier) or ``later``."""
    if evaluation.get("submitted_at"):
        return "submitted"
    due_on = as_day(evaluation.get("due_on"))
    return "due" if due_on is not None and due_on <= today else "later"


# -- reading through the API ----------------------------------------------------------------------
def _me() -> str:
    return auth.principal().person_id


def _activities_of_year(person_id: str, year: int) -> list[dict[str, Any]]:
    first, _last = year_bounds(year)
    newer = items_before(SERVICE, f"/v1/people/{person_id}/activities",
                         lambda a: (as_day(a.get("starts_on")) or first) < first)
    return in_year(newer, year)


def _schools() -> dict[str, str]:
    """The names of the schools the person works or worked at, by id."""
    return {job["school_id"]: job["school_name"] for job in auth.get("identity", "/v1/me").get("employments", [])}


def _current_schools() -> list[tuple[str, str]]:
    me = auth.get("identity", "/v1/me")
    today = date.today()
    return sorted({(job["school_id"], job["school_name"]) for job in me.get("employments", [])
                   if (as_day(job.get("ends_on")) or date.max) >= today}, key=lambda school: school[1])


def _due() -> dict[str, Any]:
    return auth.get(SERVICE, "/v1/me/evaluations/due", params={"page_size": LARGEST_PAGE})


def _evidence_limit() -> int:
    return current_app.extensions["canopy_web"].settings.max_upload_bytes


def _too_large(size: int, limit: int) -> ApiError:
    return ApiError(413, f"The file is larger than {size_label(limit)}.", "too_large",
                    {"file": [f"larger than {size_label(limit)}: choose a smaller file"]})


def _add_file(person_id: str, activity_id: str, upload, data: bytes, title: str, standards: list[str],
              idempotency_key: str | None = None) -> None:
    auth.call("POST", SERVICE, f"/v1/people/{person_id}/evidence", idempotency_key=idempotency_key,
              data={"title": title or upload.filename, "activity_id": activity_id,
                    "linked_standards": ",".join(standards)},
              files={"file": (upload.filename, data, upload.mimetype or "application/octet-stream")})


def _upload() -> tuple[Any, bytes | None]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, None
    return upload, upload.read()


# -- the pages ------------------------------------------------------------------------------------
def blueprint() -> Blueprint:
    blp = Blueprint("portfolio", __name__, url_prefix="/portfolio")

    @blp.get("")
    @auth.signed_in
    def mine():
        me, today = _me(), date.today()
        this_year = academic_year(today)
        path = f"/v1/people/{me}/activities"
        head = auth.get(SERVICE, path, params={"page": 1, "page_size": 1})
        newest = as_day(head["items"][0]["starts_on"]) if head["items"] else None
        oldest = newest
        if head["total"] > 1:
            oldest = as_day(auth.get(SERVICE, path, params={"page": head["total"], "page_size": 1})
                            ["items"][0]["starts_on"])
        years = year_choices(oldest, newest, today)
        chosen = request.args.get("year", "")
        year = int(chosen) if chosen in {value for value, _label in years} else None
        number = page_number(request.args.get("page"))
        this_years = _activities_of_year(me, this_year) if head["total"] else []
        if year is None:
            activities = auth.get(SERVICE, path, params={"page": number, "page_size": PAGE_SIZE})
        else:
            activities = one_page(this_years if year == this_year else _activities_of_year(me, year), number,
                                  PAGE_SIZE)
        return page("portfolio/mine.html", activities=activities, due=_due(), years=years,
                    year=year, this_year=this_year, year_label=year_label,
                    this_year_hours=total_hours(this_years), this_year_count=len(this_years),
                    types=ACTIVITY_TYPE_LABELS, stages=STAGE_LABELS)

    @blp.route("/activities/new", methods=["GET", "POST"])
    @auth.signed_in
    def record():
        if request.method == "GET":
            return _activity_form()
        me = _me()
        upload, data = _upload()
        limit = _evidence_limit()
        if data is not None and len(data) > limit:  # not sent on: the API would refuse it too
            return _activity_form(error=_too_large(len(data), limit), file_lost=True)
        try:
            answer = auth.call("POST", SERVICE, f"/v1/people/{me}/activities", json=activity_body(request.form),
                               idempotency_key=request.form.get("idempotency_key"))
        except ApiError as error:
            if not error.is_refusal:
                raise
            return _activity_form(error=folded(error, LIST_FIELDS), file_lost=upload is not None)
        activity_id = answer.json()["id"]
        title = request.form.get("title", "").strip()
        # A replayed answer: this form was sent before and its file went with the first sending.
        if upload is not None and answer.headers.get(REPLAYED) != "true":
            try:
                _add_file(me, activity_id, upload, data, request.form.get("evidence_title", "").strip(),
                          request.form.getlist("linked_standards"))
            except ApiError as error:
                if not error.is_refusal:
                    raise
                return _activity_page(activity_id, file_error=renamed(error, {"title": "evidence_title"}),
                                      warning=f"“{title}” is recorded, but the file was not added: "
                                              f"{error.message}. Choose a file to add below.")
        notify(f"Recorded “{title}”." + (" Its evidence is attached." if upload is not None else ""))
        return redirect(url_for("portfolio.activity", activity_id=activity_id), code=303)

    @blp.get("/activities/<activity_id>")
    @auth.signed_in
    def activity(activity_id):
        return _activity_page(activity_id)

    @blp.post("/activities/<activity_id>/evidence")
    @auth.signed_in
    def add_evidence(activity_id):
        me = _me()
        standards = request.form.getlist("linked_standards")
        if request.form.get("kind") == "link":
            body = {"title": request.form.get("link_title", "").strip(), "url": request.form.get("url", "").strip(),
                    "activity_id": activity_id, "linked_standards": standards}
            try:
                auth.call("POST", SERVICE, f"/v1/people/{me}/evidence", json=body,
                          idempotency_key=request.form.get("idempotency_key"))
            except ApiError as error:
                if not error.is_refusal:
                    raise
                return _activity_page(activity_id, link_error=folded(renamed(error, {"title": "link_title"}),
                                                                     LIST_FIELDS))
            notify(f"Added the link “{body['title']}”.")
            return redirect(url_for("portfolio.activity", activity_id=activity_id, _anchor="evidence"), code=303)
        upload, data = _upload()
        limit = _evidence_limit()
        if upload is None:
            error = ApiError(422, "Choose a file to add.", "invalid", {"file": ["choose a file"]})
            return _activity_page(activity_id, file_error=error)
        if len(data) > limit:
            return _activity_page(activity_id, file_error=_too_large(len(data), limit))
        try:
            _add_file(me, activity_id, upload, data, request.form.get("evidence_title", "").strip(), standards,
                      idempotency_key=request.form.get("idempotency_key"))
        except ApiError as error:
            if not error.is_refusal:
                raise
            return _activity_page(activity_id, file_error=renamed(error, {"title": "evidence_title"}))
        notify(f"Added the file “{upload.filename}”.")
        return redirect(url_for("portfolio.activity", activity_id=activity_id, _anchor="evidence"), code=303)

    @blp.get("/evidence/<evidence_id>/file")
    @auth.signed_in
    def evidence_file(evidence_id):
        """The file, fetched with the person's token here: the browser never holds a token."""
        answer = auth.call("GET", SERVICE, f"/v1/evidence/{evidence_id}/content", accept="*/*")
        response = Response(answer.content,
                            content_type=answer.headers.get("Content-Type") or "application/octet-stream")
        response.headers["Content-Disposition"] = attachment(
            filename_of(answer.headers.get("Content-Disposition")) or "evidence")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @blp.route("/evaluations/<evaluation_id>", methods=["GET", "POST"])
    @auth.signed_in
    def evaluate(evaluation_id):
        due = next((item for item in _due()["items"] if item["id"] == evaluation_id), None)
        if due is None:
            return page("portfolio/evaluation_gone.html", status=404)
        if request.method == "GET":
            return _evaluation_form(due)
        try:
            auth.call("POST", SERVICE, f"/v1/evaluations/{evaluation_id}",
                      json=evaluation_body(request.form, due["stage"]))
        except ApiError as error:
            if not error.is_refusal:
                raise
            if error.status == 409:  # submitted meanwhile (another tab): nothing is left to do
                notify(f"Your evaluation of “{due['activity_title']}” was already submitted.")
                return redirect(url_for("portfolio.mine", _anchor="due"), code=303)
            return _evaluation_form(due, error=error)
        notify(f"Thank you: your evaluation of “{due['activity_title']}” is saved.")
        return redirect(url_for("portfolio.mine", _anchor="due"), code=303)

    @blp.get("/requests")
    @auth.signed_in
    def requests():
        me = _me()
        status = request.args.get("status", "")
        status = status if status in STATUSES else ""
        # The API answers a CPD lead their schools' requests too: this page is the person's own.
        mine_only = [item for item in every_item(SERVICE, "/v1/cpd-requests", {"status": status})
                     if item["person_id"] == me]
        return page("portfolio/requests.html",
                    result=one_page(mine_only, page_number(request.args.get("page")), PAGE_SIZE),
                    chosen=status, statuses=STATUSES, types=ACTIVITY_TYPE_LABELS)

    @blp.route("/requests/new", methods=["GET", "POST"])
    @auth.signed_in
    def new_request():
        if request.method == "GET":
            return _request_form()
        try:
            auth.call("POST", SERVICE, "/v1/cpd-requests", json=request_body(request.form),
                      idempotency_key=request.form.get("idempotency_key"))
        except ApiError as error:
            if not error.is_refusal:
                raise
            return _request_form(error=error)
        notify(f"Your request for “{request.form.get('title', '').strip()}” is sent to your school.")
        return redirect(url_for("portfolio.requests"), code=303)

    @blp.post("/requests/<request_id>/withdraw")
    @auth.signed_in
    def withdraw(request_id):
        title = request.form.get("title", "the request")
        try:
            auth.call("POST", SERVICE, f"/v1/cpd-requests/{request_id}/withdraw")
        except ApiError as error:
            if not error.is_refusal:
                raise
            notify(f"“{title}” was not withdrawn: {error.message}.")
            return redirect(url_for("portfolio.requests"), code=303)
        notify(f"You withdrew your request for “{title}”.")
        return redirect(url_for("portfolio.requests"), code=303)

    @blp.get("/export")
    @auth.signed_in
    def export():
        held = auth.get(SERVICE, f"/v1/people/{_me()}/portfolio/export")
        counts = {name: len(held.get(name) or []) for name in ("activities", "evaluations", "evidence",
                                                               "requests", "bookings")}
        return page("portfolio/export.html", counts=counts, hours=total_hours(held.get("activities") or []))

    @blp.get("/export/<kind>")
    @auth.signed_in
    def export_file(kind):
        if kind not in ("json", "html"):
            abort(404)
        answer = auth.call("GET", SERVICE, f"/v1/people/{_me()}/portfolio/export", params={"format": kind},
                           accept="text/html" if kind == "html" else "application/json")
        content_type = "text/html; charset=utf-8" if kind == "html" else "application/json"
        response = Response(answer.content, content_type=content_type)
        response.headers["Content-Disposition"] = attachment(f"portfolio-{date.today().isoformat()}.{kind}")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    return blp


# -- pages shown from more than one view ----------------------------------------------------------
def _chosen_standards() -> list[str]:
    return request.form.getlist("linked_standards") if request.method == "POST" else []


def _file_limits() -> dict[str, Any]:
    """What the evidence field says before a file is chosen (and portfolio.js checks)."""
    limit = _evidence_limit()
    return {"limit": size_label(limit), "max_bytes": limit, "accept": ",".join(EVIDENCE_EXTENSIONS),
            "kinds": EVIDENCE_KINDS}


def _activity_form(error: ApiError | None = None, file_lost: bool = False):
    key = request.form.get("idempotency_key") if request.method == "POST" else None
    return page("portfolio/activity_form.html", error=error, key=key or new_idempotency_key(),
                types=activity_type_choices(), deliveries=delivery_choices(),
                schools=_current_schools(), standard_groups=STANDARD_GROUPS, chosen=_chosen_standards(),
                file_lost=file_lost, today=date.today().isoformat(), **_file_limits())


def _activity_page(activity_id: str, *, file_error: ApiError | None = None, link_error: ApiError | None = None,
                   warning: str | None = None):
    found = auth.get(SERVICE, f"/v1/activities/{activity_id}")
    me, today = _me(), date.today()
    owner = found["person_id"] == me
    evidence = [item for item in every_item(SERVICE, f"/v1/people/{found['person_id']}/evidence")
                if item.get("activity_id") == activity_id]
    evaluations = []
    if owner:  # the export is the API's one read of an activity's evaluations, and it is the owner's
        held = auth.get(SERVICE, f"/v1/people/{me}/portfolio/export")
        evaluations = sorted((e for e in held.get("evaluations", []) if e.get("activity_id") == activity_id),
                             key=lambda e: str(e.get("due_on")))
    status = 200
    for refusal in (file_error, link_error):
        if refusal is not None:
            status = refusal.status if refusal.is_refusal else 422
    html, _status = page("portfolio/activity.html", evidence_key=new_idempotency_key(), activity=found, owner=owner, evidence=evidence,
                         evaluations=[(e, evaluation_state(e, today)) for e in evaluations],
                         schools=_schools() if found.get("school_id") else {}, types=ACTIVITY_TYPE_LABELS,
                         stages=STAGE_LABELS, file_error=file_error, link_error=link_error, warning=warning,
                         standard_groups=STANDARD_GROUPS, chosen=_chosen_standards(), size_label=size_label,
                         **_file_limits())
    return html, status


def _evaluation_form(due: Mapping[str, Any], error: ApiError | None = None):
    return page("portfolio/evaluate.html", error=error, due=due, questions=QUESTIONS.get(due["stage"], ()),
                stages=STAGE_LABELS)


def _request_form(error: ApiError | None = None):
    key = request.form.get("idempotency_key") if request.method == "POST" else None
    return page("portfolio/request_form.html", error=error, key=key or new_idempotency_key(),
                types=activity_type_choices(),
                schools=_current_schools(), today=date.today().isoformat())

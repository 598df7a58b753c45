"""The person's CPD activities: the list by school year, recording one (with a file of evidence),
an activity's page, and adding evidence (a file or a link) to it."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, url_for

from canopy_contracts.standards import HEADTEACHERS_STANDARDS_2020, TEACHERS_STANDARDS_2012
from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS, activity_type_choices, delivery_choices
from canopy_web.lists import every_item, items_before, one_page, page_number
from canopy_web.pages.portfolio.evaluations import _due, evaluation_state
from canopy_web.pages.portfolio.helpers import (
    PAGE_SIZE, SERVICE, STAGE_LABELS, _current_schools, _me, attachment, filename_of, folded, renamed, size_label,
    total_hours, year_choices,
)
from canopy_web.school_years import academic_year, as_day, in_year, year_bounds, year_label
from canopy_web.views import notify, page

REPLAYED = "Idempotent-Replayed"  # the API's header on an answer replayed for a repeated Idempotency-Key
STANDARD_GROUPS = (("Teachers' Standards (2012)", TEACHERS_STANDARDS_2012),
                   ("Headteachers' Standards (2020)", HEADTEACHERS_STANDARDS_2020))
# What portfolio keeps as evidence (it checks each file's content too, and says so when it refuses).
EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx", ".txt")
EVIDENCE_KINDS = "PDF, PNG or JPEG image, Word, Excel, PowerPoint or plain text"
LIST_FIELDS = ("linked_standards", "linked_objectives")  # one form field each for the API's lists


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


def _activities_of_year(person_id: str, year: int) -> list[dict[str, Any]]:
    first, _last = year_bounds(year)
    newer = items_before(SERVICE, f"/v1/people/{person_id}/activities",
                         lambda a: (as_day(a.get("starts_on")) or first) < first)
    return in_year(newer, year)


def _schools() -> dict[str, str]:
    """The names of the schools the person works or worked at, by id."""
    return {job["school_id"]: job["school_name"] for job in auth.get("identity", "/v1/me").get("employments", [])}


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


def add_routes(blp: Blueprint) -> None:
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

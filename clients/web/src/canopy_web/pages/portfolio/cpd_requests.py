"""The person's CPD requests: asking their school for CPD, following and withdrawing a request."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS, activity_type_choices
from canopy_web.lists import every_item, one_page, page_number
from canopy_web.pages.portfolio.helpers import PAGE_SIZE, SERVICE, _current_schools, _me
from canopy_web.views import notify, page

STATUSES = ("pending", "approved", "declined", "withdrawn")  # a CPD request's, as the API names them


def request_body(form) -> dict[str, Any]:
    """The request-CPD form as portfolio's CPD request (cost and cover are always stated)."""
    body: dict[str, Any] = texts(form, ("title", "activity_type", "starts_on", "ends_on", "reason"),
                                 optional=("provider", "school_id"))
    body["hours"] = number_or_text(form.get("hours"))
    body["cost"] = number_or_text(form.get("cost"))
    body["cover_needed"] = form.get("cover_needed") == "yes"
    return given(body)


def add_routes(blp: Blueprint) -> None:
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


def _request_form(error: ApiError | None = None):
    key = request.form.get("idempotency_key") if request.method == "POST" else None
    return page("portfolio/request_form.html", error=error, key=key or new_idempotency_key(),
                types=activity_type_choices(),
                schools=_current_schools(), today=date.today().isoformat())

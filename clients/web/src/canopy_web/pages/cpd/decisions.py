"""CPD requests waiting for a decision at the schools one decides for: the list with its totals
(cost, cover), one request's page, and deciding one at a time or many at once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.labels import ACTIVITY_TYPE_LABELS
from canopy_web.lists import every_item, one_page, page_number, school_names
from canopy_web.pages.cpd.common import SERVICE, _back, deciding_schools
from canopy_web.people import names_of
from canopy_web.school_years import as_day
from canopy_web.views import notify, page

PAGE_SIZE = 50
REQUEST_STATUSES = (("pending", "Waiting for a decision"), ("approved", "Approved"), ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"))
DECISIONS = (("approved", "Approve"), ("declined", "Decline"))


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


def _requests(status: str | None) -> list[dict[str, Any]]:
    return list(every_item(SERVICE, "/v1/cpd-requests", {"status": status}))


def add_routes(blp: Blueprint) -> None:
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

"""The dashboards: reporting's standard reports as charts, each with its figures as a table (the
accessible truth), filters in the address (bookmarkable) and the API's own CSV for governors.

Reporting decides who reads which school's figures and blanks every figure about fewer than the
trust's threshold of people before it leaves the service; these pages only say so, plainly
("fewer than N people: not shown"), and never draw a blanked figure as a zero.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Sequence

from flask import Blueprint, Response, abort, make_response, request

from canopy_kit.auth.permissions import TRUST_WIDE
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.labels import in_words
from canopy_web.lists import all_schools
from canopy_web.pages.dashboards.reports import REPORTS, _own_choices, chosen_values
from canopy_web.school_years import academic_year, year_label
from canopy_web.views import REPORT_READERS, page

YEARS_BACK = 4  # the year menu: this school year and the four before it


# --- filters ------------------------------------------------------------------------------------

def year_options(today: date, chosen: str | None) -> list[tuple[str, str]]:
    """This school year and the ones before it, and a year further back the address names."""
    current = academic_year(today)
    years = [current - back for back in range(YEARS_BACK + 1)]
    if chosen and chosen.isdigit() and int(chosen) not in years:
        years.append(int(chosen))  # a bookmarked year from further back stays choosable
    return [(str(year), year_label(year) + (" (this year)" if year == current else "")) for year in sorted(years, reverse=True)]


def api_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The filters reporting takes, as the address has them (empty ones are left out by the gateway)."""
    return {name: args.get(name, "").strip() for name in ("year", "school_id", "phase")}


def readable_schools(schools: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The schools whose reports the signed-in person may read, to offer as filters (reporting
    decides; a school it would refuse is not offered)."""
    principal = auth.principal()
    if principal.has_role(TRUST_WIDE):
        return list(schools)
    mine = principal.schools_with(REPORT_READERS)
    return [school for school in schools if school["id"] in mine]


def _filters(args: Mapping[str, str]) -> dict[str, Any]:
    schools = readable_schools(all_schools())
    phases = sorted({school["phase"] for school in schools})
    return {"years": year_options(date.today(), args.get("year")),
            "schools": [(school["id"], school["name"] + (" (closed)" if school.get("status") == "closed" else ""))
                        for school in schools],
            "phases": in_words(phases),
            "values": {**api_filters(args)}}


def _fetch(name: str, args: Mapping[str, str]) -> dict:
    return auth.get("reporting", f"/v1/reports/{name}", params=api_filters(args))


def _partial() -> bool:
    # A history restore asks for the whole page, not the region.
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def blueprint() -> Blueprint:
    blp = Blueprint("dashboards", __name__, url_prefix="/dashboards")

    @blp.get("")
    @auth.signed_in
    def dashboards():
        args = request.args
        cards, error = [], None
        try:
            for report in REPORTS.values():
                try:
                    body = _fetch(report.name, args)
                except ApiError as failure:
                    if failure.status < 500:
                        raise
                    cards.append({"report": report, "unavailable": True})
                    continue
                view = report.build(body, chosen_values(_own_choices(report, body), {}))
                cards.append({"report": report, "body": body, "view": view, "glance": report.glance(body)})
        except ApiError as failure:
            if not failure.errors:
                raise  # refused outright (not a reader of reports): the error page says why
            error, cards = failure, []
        filters = _filters(args)
        year = next((card["body"]["year_label"] for card in cards if "body" in card), None)
        return page("dashboards/overview.html", error=error, cards=cards, filters=filters, year=year,
                    query=_query(args))

    @blp.get("/<name>")
    @auth.signed_in
    def report(name: str):
        chosen_report = REPORTS.get(name) or abort(404)
        args = request.args
        try:
            body = _fetch(name, args)
        except ApiError as failure:
            if not failure.errors:
                raise
            body, error = None, failure
        else:
            error = None
        choices = _own_choices(chosen_report, body)
        chosen = chosen_values(choices, args)
        view = chosen_report.build(body, chosen) if body else None
        context = dict(report=chosen_report, body=body, view=view, chosen=chosen, choices=choices,
                       query=_query(args), reports=REPORTS)
        if _partial():
            if error is not None:
                # htmx swaps no refused answer: the whole page loads instead, the reason beside its field.
                response = make_response("", error.status)
                response.headers["HX-Redirect"] = request.full_path
                return response
            return page("dashboards/_result.html", **context)
        return page("dashboards/report.html", error=error, filters=_filters(args), **context)

    @blp.get("/<name>/csv")
    @auth.signed_in
    def export(name: str):
        if name not in REPORTS:
            abort(404)
        answer = auth.call("GET", "reporting", f"/v1/reports/{name}",
                           params={**api_filters(request.args), "format": "csv"}, accept="text/csv")
        response = Response(answer.content, mimetype="text/csv")
        response.headers["Content-Disposition"] = answer.headers.get(
            "Content-Disposition") or f'attachment; filename="{name}.csv"'
        response.headers["Cache-Control"] = "no-store"  # figures about a trust's staff: kept by no cache
        return response

    return blp


def _query(args: Mapping[str, str]) -> dict[str, str]:
    """The address's filters, to carry into links (to a report, to its CSV)."""
    return {key: value for key, value in api_filters(args).items() if value}

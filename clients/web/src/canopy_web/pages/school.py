"""A school leader's school: its staff (searchable, by staff category), each person as the shared
person page shows them, the school's recent reportable observations and its CPD this year, and
the way to the dashboards for the school. Someone leading two schools chooses one."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping

from flask import Blueprint, abort, request, url_for

from canopy_kit.auth.permissions import SCHOOL_LEADERS
from canopy_kit.auth.principal import Principal
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import all_schools, page_number
from canopy_web.pages.team import ID, Section, person_page, read_section
from canopy_web.people import names_of
from canopy_web.school_years import academic_year, year_label
from canopy_web.views import REPORT_READERS, SCHOOL_LEADING, page

# What each part of the page needs, as the permission matrix has it (docs/permissions.md): the
# page leaves out what the service would refuse, and shows the refusal if it refuses anyway.
OBSERVATION_READERS = SCHOOL_LEADERS  # observation.read: a school's reportable records
STAFF_CATEGORIES = (("teaching", "Teaching staff"), ("support", "Support staff"), ("leadership", "Leadership"))
STAFF_PAGE_SIZE = 25
RECENT_OBSERVATIONS = 10


# -- pure helpers (tested without a server) ---------------------------------

def schools_led(principal: Principal, school_ids: Iterable[str]) -> list[str]:
    """The schools (in the order given) where the caller holds a school leader's or admin's role,
    by a school grant, a group grant, or a trust grant."""
    return [school_id for school_id in school_ids
            if any(g.role in SCHOOL_LEADING and g.covers_school(school_id, principal.trust_id)
                   for g in principal.grants)]


def roles_at(principal: Principal, school_id: str) -> set[str]:
    return {g.role for g in principal.grants if g.covers_school(school_id, principal.trust_id)}


def staff_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The directory's filters as the form sent them; blank ones mean "any" and are left out."""
    filters = {"q": (args.get("q") or "").strip(), "staff_category": (args.get("staff_category") or "").strip()}
    return {name: value for name, value in filters.items() if value}


def school_row(report: Mapping[str, Any], school_id: str) -> Mapping[str, Any] | None:
    """The school's own line of a report (a report's rows may also hold the trust's, ``all``)."""
    return next((row for row in report.get("rows", ()) if row.get("school_id") == school_id), None)


# -- reading the APIs --------------------------------------------------------

def _staff(school_id: str, filters: Mapping[str, str], number: int) -> tuple[dict, ApiError | None]:
    """A page of the school's staff, or the directory's refusal of the filters (shown beside them)."""
    try:
        return auth.get("identity", "/v1/people", params={"school_id": school_id, **filters, "page": number,
                                                          "page_size": STAFF_PAGE_SIZE}), None
    except ApiError as error:
        if error.status >= 500:
            raise
        return {"items": [], "page": 1, "page_size": STAFF_PAGE_SIZE, "total": 0}, error


def _recent_observations(school_id: str, roles: set[str]) -> Section | None:
    """None: not offered to these roles (the service would show only the reader's own)."""
    if not roles & OBSERVATION_READERS:
        return None
    return read_section(lambda: auth.get("observation", "/v1/records", params={
        "school_id": school_id, "privacy": "reportable", "page_size": RECENT_OBSERVATIONS}))


def _cpd_this_year(school_id: str, roles: set[str]) -> Section | None:
    if not roles & REPORT_READERS:
        return None
    return read_section(lambda: [row for row in [school_row(
        auth.get("reporting", "/v1/reports/cpd", params={"school_id": school_id}), school_id)] if row])


def _staff_only() -> bool:
    """The filter form's htmx request, which swaps in the staff list alone (a history restore
    wants the whole page)."""
    return request.headers.get("HX-Target") == "staff-results" and not request.headers.get("HX-History-Restore-Request")


# -- the pages ----------------------------------------------------------------

def blueprint() -> Blueprint:
    blp = Blueprint("school", __name__, url_prefix="/school")

    @blp.get("")
    @auth.signed_in
    def school():
        principal = auth.principal()
        schools = {s["id"]: s for s in all_schools()}
        led = schools_led(principal, schools)
        chosen = request.args.get("school_id") or (led[0] if len(led) == 1 else None)
        if chosen is None:  # none led, or several: the page says so, or offers the choice
            return page("school/school.html", schools=schools, led=led, chosen=None)
        if chosen not in led:
            abort(404)
        filters = staff_filters(request.args)
        staff, error = _staff(chosen, filters, page_number(request.args.get("page")))
        context = dict(schools=schools, led=led, chosen=chosen, school=schools[chosen], staff=staff,
                       filters=filters, categories=STAFF_CATEGORIES, form=request.args,
                       choices=[(school_id, schools[school_id]["name"]) for school_id in led])
        if _staff_only():
            return page("school/_staff.html", error=error, partial=True, **context)
        roles = roles_at(principal, chosen)
        observations, cpd = _recent_observations(chosen, roles), _cpd_this_year(chosen, roles)
        people = {record[key] for record in (observations.items if observations else ())
                  for key in ("observer_id", "observee_id")}
        return page("school/school.html", error=error, observations=observations, cpd=cpd or Section(),
                    shows_cpd=cpd is not None, cpd_year=year_label(academic_year(date.today())),
                    names=names_of(people, [chosen], known={principal.person_id: "You"}),
                    dashboards=url_for("dashboards.dashboards", school_id=chosen), **context)

    @blp.get("/people/<person_id>")
    @auth.signed_in
    def person(person_id):
        school_id = request.args.get("school_id") or None
        if school_id is not None and not ID.fullmatch(school_id):
            abort(404)
        return person_page(person_id, back_url=url_for("school.school", school_id=school_id),
                           back_label="Back to my school", school_id=school_id)

    return blp

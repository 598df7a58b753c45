"""A line manager's team: the people they appraise today, and one person's portfolio and
observations as the services show them to this reader. The person view (``person_page``) is the
school area's too: the services decide what each reader sees, so one page serves both."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping

from flask import Blueprint, abort, url_for

from canopy_kit import clock
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import every_item
from canopy_web.pages.portfolio import total_hours
from canopy_web.people import names_of, person_name
from canopy_web.school_years import academic_year, as_day, in_year, year_label
from canopy_web.views import page

SHOWN = 50  # evidence and observation records shown on a person's page, newest first
ID = re.compile(r"[A-Za-z0-9-]{1,64}")  # what an id in a path may be before it goes into an API's path


# -- pure helpers (tested without a server) ---------------------------------

def runs_on(starts_on: Any, ends_on: Any, day: date) -> bool:
    """A period as the API gives it (ISO dates, an open end as none) includes ``day``."""
    start = as_day(starts_on)
    return start is not None and clock.runs_on(start, as_day(ends_on), day)


def current_jobs(employments: Iterable[Mapping[str, Any]], today: date) -> list[Mapping[str, Any]]:
    return [job for job in employments if runs_on(job.get("starts_on"), job.get("ends_on"), today)]


def managed_since(person: Mapping[str, Any], manager_id: str, today: date) -> tuple[date | None, set[str]]:
    """Since when ``manager_id`` has line-managed the person without a break up to today, and at
    which schools (a person can have a line manager at each school they work at)."""
    running = [m for m in person.get("line_managers", ())
               if m.get("manager_id") == manager_id and runs_on(m.get("starts_on"), m.get("ends_on"), today)]
    starts = [start for m in running if (start := as_day(m.get("starts_on")))]
    return (min(starts) if starts else None), {m["school_id"] for m in running if m.get("school_id")}


def appraisee_row(person: Mapping[str, Any], manager_id: str, today: date) -> dict[str, Any]:
    """One line of My team: who, their jobs today (those at the schools where I manage them first),
    and since when I manage them."""
    since, schools = managed_since(person, manager_id, today)
    jobs = sorted(current_jobs(person.get("employments", ()), today),
                  key=lambda job: (job.get("school_id") not in schools, job.get("school_name", "")))
    return {"id": person["id"], "name": person_name(person), "jobs": jobs, "since": since}


def safe_link(url: Any) -> str | None:
    """An evidence link the page may make clickable: web addresses only, never ``javascript:``."""
    text = str(url or "")
    return text if text.lower().startswith(("https://", "http://")) else None


# -- reading the APIs --------------------------------------------------------

@dataclass
class Section:
    """One part of a page read from one service: what it returned, or why it refused."""
    items: list = field(default_factory=list)
    total: int = 0
    refused: str | None = None


def read_section(reader: Callable[[], Any]) -> Section:
    """A refusal (4xx) shows in its section and the rest of the page still serves; a service that
    is down (5xx) fails the page, as everywhere in the client."""
    try:
        found = reader()
        if isinstance(found, dict) and "items" in found:
            return Section(items=found["items"], total=found.get("total", len(found["items"])))
        items = list(found)  # a generator of pages calls the API only now
    except ApiError as error:
        if error.status >= 500:
            raise
        return Section(refused=error.message)
    return Section(items=items, total=len(items))


def person_page(person_id: str, *, back_url: str, back_label: str, school_id: str | None = None):
    """One person as the signed-in reader may see them: directory entry, CPD portfolio and
    observations. Each service logs the read in the person's access log."""
    if not ID.fullmatch(person_id):
        abort(404)
    person = auth.get("identity", f"/v1/people/{person_id}")  # a refusal here is the whole page's
    today = date.today()
    me = auth.principal().person_id
    year = academic_year(today)
    activities = read_section(lambda: every_item("portfolio", f"/v1/people/{person_id}/activities"))
    this_year = in_year(activities.items, year)
    evidence = read_section(lambda: auth.get("portfolio", f"/v1/people/{person_id}/evidence",
                                             params={"page_size": SHOWN}))
    records = read_section(lambda: auth.get("observation", "/v1/records",
                                            params={"observee_id": person_id, "page_size": SHOWN}))
    names = names_of({record["observer_id"] for record in records.items}, [school_id],
                     known={me: "You", person_id: person_name(person)})
    since, _ = managed_since(person, me, today)
    return page("team/person.html", person=person, name=person_name(person), since=since,
                jobs=current_jobs(person["employments"], today), activities=activities, this_year=this_year,
                hours=total_hours(this_year), year_label=year_label(year), evidence=evidence, records=records, names=names,
                back_url=back_url, back_label=back_label, safe_link=safe_link, is_self=person_id == me)


# -- the pages ----------------------------------------------------------------

def blueprint() -> Blueprint:
    blp = Blueprint("team", __name__, url_prefix="/team")

    @blp.get("")
    @auth.signed_in
    def team():
        me = auth.principal().person_id
        today = date.today()
        try:
            appraisees = list(every_item("identity", "/v1/me/appraisees"))
        except ApiError as error:
            if error.status >= 500:
                raise
            return page("team/team.html", rows=[], refused=error.message)
        rows = []
        for summary in appraisees:
            # The list names people only; their jobs and since when are in each person's entry.
            try:
                rows.append(appraisee_row(auth.get("identity", f"/v1/people/{summary['id']}"), me, today))
            except ApiError as error:
                if error.status >= 500:
                    raise
                rows.append({"id": summary["id"], "name": person_name(summary), "jobs": [], "since": None})
        return page("team/team.html", rows=rows, refused=None)

    @blp.get("/<person_id>")
    @auth.signed_in
    def person(person_id):
        return person_page(person_id, back_url=url_for("team.team"), back_label="Back to my team")

    return blp

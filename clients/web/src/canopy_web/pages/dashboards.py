"""The dashboards: reporting's standard reports as charts, each with its figures as a table (the
accessible truth), filters in the address (bookmarkable) and the API's own CSV for governors.

Reporting decides who reads which school's figures and blanks every figure about fewer than the
trust's threshold of people before it leaves the service; these pages only say so, plainly
("fewer than N people: not shown"), and never draw a blanked figure as a zero.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, Sequence

from flask import Blueprint, Response, abort, make_response, request
from markupsafe import Markup

from canopy_kit.auth.permissions import TRUST_WIDE
from canopy_web import auth, charts
from canopy_web.api import ApiError
from canopy_web.labels import in_words
from canopy_web.lists import all_schools
from canopy_web.school_years import academic_year, year_label
from canopy_web.views import REPORT_READERS, page

ALL_SCHOOLS = "all"  # reporting's trust-wide row
YEARS_BACK = 4  # the year menu: this school year and the four before it

# The activity types as the charts name them: shorter than the forms' labels (labels.py) on purpose,
# so that a legend entry or a bar's label fits beside a chart 320 wide (the tables use them too, to
# match the chart they stand for). In the contracts' order.
SHORT_TYPE_LABELS = {"course": "Course", "conference": "Conference", "qualification": "Qualification",
                     "inset": "INSET", "trust_programme": "Trust programme", "coaching": "Coaching",
                     "peer_observation": "Peer observation", "reading": "Reading", "online": "Online",
                     "other": "Other"}
STAGES = {"follow_up": "Follow-up (weeks later)", "immediate": "Straight after"}
AT_STAGE = {"follow_up": "at follow-up", "immediate": "straight after"}
IMPACT = {"reaction": "Reaction", "learning": "Learning", "use_in_practice": "Use in practice",
          "pupil_outcomes": "Pupil outcomes"}
STATUSES = {"pending": "Waiting", "declined": "Declined"}


# --- how figures read ---------------------------------------------------------------------------

def money(value: float) -> str:
    return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"


def mean(value: float) -> str:
    return f"{value:.2f}"


def count(value: float) -> str:
    # Counts are whole; an axis's halfway mark may not be (7.5 of 15).
    return f"{value:,.0f}" if float(value).is_integer() else charts.plain(value)


FORMATS: dict[str, Callable[[float], str]] = {"count": count, "hours": charts.plain, "money": money,
                                              "share": charts.percent, "mean": mean}


@dataclass(frozen=True)
class Cell:
    text: str
    missing: bool = False  # blanked or no data: said in words, never a zero


@dataclass(frozen=True)
class Table:
    caption: str
    first: str  # the heading of the rows' names
    columns: tuple[str, ...]
    rows: list[tuple[str, list[Cell]]]


def cell(row: Mapping[str, Any] | None, key: str, kind: str) -> Cell:
    """One figure of a row as the table shows it: blanked by the API is "not shown", absent is
    "no data"."""
    value = None if row is None else row.get(key)
    if value is None:
        return Cell(charts.NOT_SHOWN if row is not None and row.get("suppressed") else charts.NO_DATA, missing=True)
    return Cell(FORMATS[kind](value))


def bar_of(label: str, row: Mapping[str, Any] | None, key: str) -> charts.Bar:
    value = None if row is None else row.get(key)
    return charts.Bar(label, value, suppressed=bool(row and value is None and row.get("suppressed")))


def year_options(today: date, chosen: str | None) -> list[tuple[str, str]]:
    """This school year and the ones before it, and a year further back the address names."""
    current = academic_year(today)
    years = [current - back for back in range(YEARS_BACK + 1)]
    if chosen and chosen.isdigit() and int(chosen) not in years:
        years.append(int(chosen))  # a bookmarked year from further back stays choosable
    return [(str(year), year_label(year) + (" (this year)" if year == current else "")) for year in sorted(years, reverse=True)]


def principle_key(row: Mapping[str, Any]) -> tuple:
    """P2 before P10: codes compared by their numbers."""
    code = row.get("code") or ""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)), row.get("title") or ""


def principle_label(row: Mapping[str, Any]) -> str:
    return " ".join(part for part in (row.get("code"), row.get("title")) if part) or "Unnamed principle"


def total_row(rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The row the headline figures come from: the trust as a whole where the answer has it, else
    the one school the answer is about; several schools without a total give none."""
    for row in rows:
        if row["school_id"] == ALL_SCHOOLS:
            return row
    schools = {row["school_id"] for row in rows}
    return rows[0] if len(schools) == 1 else None


def schools_of(rows: Sequence[Mapping[str, Any]], *, with_total: bool) -> list[tuple[str, str]]:
    """(id, name) of the answer's schools in its order (by name, the trust's row last)."""
    seen: dict[str, str] = {}
    for row in rows:
        if row["school_id"] != ALL_SCHOOLS or with_total:
            seen.setdefault(row["school_id"], row["school_name"])
    return list(seen.items())


NOTHING = {"suppressed": False, "people": 0, "activities": 0, "hours": 0, "cost": 0, "requests": 0, "cost_asked": 0}


def by_school(rows: Sequence[Mapping[str, Any]], key: str) -> Callable[[str, str], Mapping[str, Any]]:
    """A two-way report's cell by school and the other dimension. Reporting has a cell for every
    school and value with something recorded (blanked or not), so a missing one is a true nothing:
    no request declined, no coaching recorded."""
    cells = {(row["school_id"], str(row[key])): row for row in rows}
    return lambda school_id, value: cells.get((school_id, value), NOTHING)


# --- the reports --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """A report's own filter: it chooses what the chart draws, not what the API is asked."""
    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    blank: str | None = None  # the label of "no choice" (every type, every principle)


@dataclass
class View:
    """What a report page shows for one answer: headline figures, the chart, its table, and the
    rows whose figures the API blanked."""
    headline: list[tuple[str, str]]
    chart: Markup
    table: Table
    hidden: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    name: str  # reporting's report, and this page's address
    title: str
    intro: str
    choices: tuple[Choice, ...]
    build: Callable[[dict, dict[str, str]], View]
    glance: Callable[[dict], Markup]  # the overview's small chart



def chosen_values(choices: Sequence[Choice], args: Mapping[str, str]) -> dict[str, str]:
    """The report's own filters from the address; a value it does not offer falls back to the default."""
    chosen = {}
    for choice in choices:
        value = args.get(choice.name, "")
        allowed = {option for option, _label in choice.options}
        chosen[choice.name] = value if value in allowed else ("" if choice.blank is not None else choice.options[0][0])
    return chosen


def _caption(title: str, body: dict) -> str:
    return f"{title}, {body['year_label']}"


def _hidden_names(rows: Sequence[Mapping[str, Any]], label: Callable[[Mapping[str, Any]], str]) -> list[str]:
    names = []
    for row in rows:
        if row.get("suppressed") and label(row) not in names:
            names.append(label(row))
    return names


def _headline(total: Mapping[str, Any] | None, items: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    if total is None:
        return []
    return [(label, cell(total, key, kind).text) for label, key, kind in items]


CPD_MEASURES = (("hours", "Hours"), ("cost", "Spend"), ("activities", "Activities"),
                ("hours_per_person", "Hours per person"), ("cover", "Activities needing cover"))
CPD_KINDS = {"hours": "hours", "cost": "money", "activities": "count", "hours_per_person": "hours", "cover": "count"}
CPD_COLUMNS = (("people", "People", "count"), ("activities", "Activities", "count"), ("hours", "Hours", "hours"),
               ("hours_per_person", "Hours per person", "hours"), ("cost", "Spend", "money"),
               ("cover", "Needing cover", "count"), ("external_share", "External", "share"))


def _school_table(body: dict, title: str, columns: Sequence[tuple[str, str, str]]) -> Table:
    return Table(_caption(title, body), "School", tuple(heading for _key, heading, _kind in columns),
                 [(row["school_name"], [cell(row, key, kind) for key, _heading, kind in columns]) for row in body["rows"]])


def _cpd(body: dict, chosen: dict[str, str]) -> View:
    rows = body["rows"]
    measure = chosen["measure"]
    label = dict(CPD_MEASURES)[measure]
    schools = [row for row in rows if row["school_id"] != ALL_SCHOOLS]
    title = f"CPD {label.lower()} per school, {body['year_label']}"
    chart = charts.bar_chart([bar_of(row["school_name"], row, measure) for row in schools], title=title,
                             fmt=FORMATS[CPD_KINDS[measure]], threshold=body["min_group_size"], ident="cpd")
    return View(_headline(total_row(rows), (("Hours", "hours", "hours"), ("Spend", "cost", "money"),
                                            ("Activities", "activities", "count"), ("People with CPD", "people", "count"))),
                chart, _school_table(body, "CPD per school", CPD_COLUMNS),
                _hidden_names(rows, lambda row: row["school_name"]))


def _cpd_glance(body: dict) -> Markup:
    schools = [row for row in body["rows"] if row["school_id"] != ALL_SCHOOLS]
    return charts.bar_chart([bar_of(row["school_name"], row, "hours") for row in schools],
                            title=f"CPD hours per school, {body['year_label']}", threshold=body["min_group_size"],
                            ident="glance-cpd", compact=True)


TYPE_MEASURES = (("hours", "Hours"), ("cost", "Spend"), ("activities", "Activities"))
TYPE_KINDS = {"hours": "hours", "cost": "money", "activities": "count"}
TYPE_COLUMNS = (("people", "People", "count"), ("activities", "Activities", "count"), ("hours", "Hours", "hours"),
                ("cost", "Spend", "money"))


def _types_present(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    present = {row["activity_type"] for row in rows}
    return [key for key in SHORT_TYPE_LABELS if key in present]


def _cpd_types(body: dict, chosen: dict[str, str]) -> View:
    rows = body["rows"]
    measure, kind = chosen["measure"], TYPE_KINDS[chosen["measure"]]
    label = dict(TYPE_MEASURES)[measure].lower()
    threshold = body["min_group_size"]
    fmt = FORMATS[kind]
    schools = schools_of(rows, with_total=False)
    total = total_row(rows)
    headline = []
    if total is not None:
        of_total = [row for row in rows if row["school_id"] == total["school_id"] and row.get("hours") is not None]
        if of_total:
            top = max(of_total, key=lambda row: row["hours"])
            headline = [("Most hours", f"{SHORT_TYPE_LABELS[top['activity_type']]}, {charts.plain(top['hours'])}")]
    types = _types_present(rows)
    cells = by_school(rows, "activity_type")
    if chosen["type"]:
        name = SHORT_TYPE_LABELS[chosen["type"]]
        chart = charts.bar_chart([bar_of(school_name, cells(school_id, chosen["type"]), measure)
                                  for school_id, school_name in schools],
                                 title=f"{name}: {label} per school, {body['year_label']}", fmt=fmt,
                                 threshold=threshold, ident="cpd-types")
        table = Table(_caption(f"{name} per school", body), "School",
                      tuple(heading for _key, heading, _kind in TYPE_COLUMNS),
                      [(school_name, [cell(cells(school_id, chosen["type"]), column, how) for column, _h, how in TYPE_COLUMNS])
                       for school_id, school_name in schools_of(rows, with_total=True)])
        return View(headline, chart, table, [school_name for school_id, school_name in schools_of(rows, with_total=True)
                                             if cells(school_id, chosen["type"])["suppressed"]])
    if len(schools) <= 1:
        # One school (a head's own): its types side by side, not a stack of one.
        school_id, where = schools[0] if schools else (ALL_SCHOOLS, "All schools")
        chart = charts.bar_chart([bar_of(SHORT_TYPE_LABELS[key], cells(school_id, key), measure) for key in types],
                                 title=f"CPD {label} per type, {where}, {body['year_label']}", fmt=fmt,
                                 threshold=threshold, ident="cpd-types")
        table = Table(_caption(f"CPD per type, {where}", body), "Type",
                      tuple(heading for _key, heading, _kind in TYPE_COLUMNS),
                      [(SHORT_TYPE_LABELS[key],
                        [cell(cells(school_id, key), column, how) for column, _h, how in TYPE_COLUMNS])
                       for key in types])
        return View(headline, chart, table,
                    [SHORT_TYPE_LABELS[key] for key in types if cells(school_id, key)["suppressed"]])
    groups = [charts.Group(school_name, tuple(bar_of(SHORT_TYPE_LABELS[key], cells(school_id, key), measure)
                                              for key in types)) for school_id, school_name in schools]
    chart = charts.stacked_chart(groups, [SHORT_TYPE_LABELS[key] for key in types],
                                 title=f"CPD {label} per school and type, {body['year_label']}", fmt=fmt,
                                 threshold=threshold, ident="cpd-types")
    table = Table(_caption(f"CPD {label} per school and type", body), "School",
                  tuple(SHORT_TYPE_LABELS[key] for key in types),
                  [(school_name, [cell(cells(school_id, key), measure, kind) for key in types])
                   for school_id, school_name in schools_of(rows, with_total=True)])
    hidden = []
    for school_id, school_name in schools_of(rows, with_total=True):
        blanked = [SHORT_TYPE_LABELS[key] for key in types if cells(school_id, key)["suppressed"]]
        if blanked:
            hidden.append(f"{school_name} ({'every type' if len(blanked) == len(types) else ', '.join(blanked)})")
    return View(headline, chart, table, hidden)


def _cpd_types_glance(body: dict) -> Markup:
    total = total_row(body["rows"])
    cells = by_school(body["rows"], "activity_type")
    where = total["school_name"] if total else "the schools chosen"
    return charts.bar_chart([bar_of(SHORT_TYPE_LABELS[key], cells(total["school_id"], key), "hours")
                             for key in _types_present(body["rows"]) if total], title=f"CPD hours per type, {where}, {body['year_label']}",
                            threshold=body["min_group_size"], ident="glance-cpd-types", compact=True)


IMPACT_COLUMNS = (("evaluations", "Evaluations", "count"), ("people", "People", "count"),
                  *((key, label, "mean") for key, label in IMPACT.items()))


def _impact(body: dict, chosen: dict[str, str]) -> View:
    rows = [row for row in body["rows"] if row["stage"] == chosen["stage"]]
    stage = AT_STAGE[chosen["stage"]]
    # A rating nobody has given at this stage (pupil outcomes straight after a course) is not drawn.
    asked = [key for key in IMPACT if any(row.get(key) is not None or row.get("suppressed") for row in rows)]
    groups = [charts.Group(row["school_name"], tuple(bar_of(IMPACT[key], row, key) for key in asked)) for row in rows]
    chart = charts.grouped_chart(groups, [IMPACT[key] for key in asked],
                                 title=f"CPD impact {stage}: mean ratings (1 to 5), {body['year_label']}",
                                 fmt=mean, tick_fmt=charts.plain, axis_max=5, threshold=body["min_group_size"],
                                 ident="impact")
    notes = [f"No {IMPACT[key].lower()} ratings at this stage yet." for key in IMPACT if key not in asked]
    total = total_row(rows)
    return View(_headline(total, [(f"{IMPACT[key]} {stage}", key, "mean") for key in asked[:3]]), chart,
                _school_table({**body, "rows": rows}, f"CPD impact {stage}, mean ratings 1 to 5", IMPACT_COLUMNS),
                _hidden_names(rows, lambda row: row["school_name"]), notes)


def _impact_glance(body: dict) -> Markup:
    rows = [row for row in body["rows"] if row["stage"] == "follow_up"]
    return charts.bar_chart([bar_of(row["school_name"], row, "use_in_practice") for row in rows],
                            title=f"Use in practice at follow-up, mean of 1 to 5, {body['year_label']}", fmt=mean,
                            tick_fmt=charts.plain, axis_max=5, threshold=body["min_group_size"], ident="glance-impact",
                            compact=True)


REQUEST_MEASURES = (("requests", "Requests"), ("cost_asked", "Cost asked"))
REQUEST_KINDS = {"requests": "count", "cost_asked": "money"}


def _cpd_requests(body: dict, chosen: dict[str, str]) -> View:
    rows = body["rows"]
    measure, kind = chosen["measure"], REQUEST_KINDS[chosen["measure"]]
    cells = by_school(rows, "status")
    label = dict(REQUEST_MEASURES)[measure]
    groups = [charts.Group(name, tuple(bar_of(STATUSES[status], cells(school_id, status), measure)
                                       for status in STATUSES))
              for school_id, name in schools_of(rows, with_total=False)]
    chart = charts.grouped_chart(groups, list(STATUSES.values()),
                                 title=f"CPD requests: {label.lower()} per school, waiting and declined, {body['year_label']}",
                                 fmt=FORMATS[kind], threshold=body["min_group_size"], ident="cpd-requests")
    columns = tuple(f"{STATUSES[status]}: {heading}" for status in STATUSES for heading in ("requests", "people", "cost asked"))
    table = Table(_caption("CPD requests per school, waiting and declined", body), "School", columns,
                  [(name, [cell(cells(school_id, status), key, how) for status in STATUSES
                           for key, how in (("requests", "count"), ("people", "count"), ("cost_asked", "money"))])
                   for school_id, name in schools_of(rows, with_total=True)])
    hidden = []
    for school_id, name in schools_of(rows, with_total=True):
        blanked = [STATUSES[status].lower() for status in STATUSES if cells(school_id, status).get("suppressed")]
        if blanked:
            hidden.append(f"{name} ({', '.join(blanked)})")
    total = total_row(rows)
    headline = [] if total is None else [
        (f"{STATUSES[status]} requests", cell(cells(total["school_id"], status), "requests", "count").text)
        for status in STATUSES]
    return View(headline, chart, table, hidden,
                ["Approved requests are CPD activities: they are counted in the CPD reports."])


def _cpd_requests_glance(body: dict) -> Markup:
    total = total_row(body["rows"])
    cells = by_school(body["rows"], "status")
    bars = [bar_of(STATUSES[status], cells(total["school_id"], status), "requests") for status in STATUSES] if total else []
    where = total["school_name"] if total else "the schools chosen"
    return charts.bar_chart(bars, title=f"CPD requests, {where}, {body['year_label']}", fmt=count,
                            threshold=body["min_group_size"], ident="glance-cpd-requests", compact=True)


OBSERVATION_COLUMNS = (("ratings", "Ratings", "count"), ("people", "People", "count"), ("mean", "Mean (0 to 1)", "mean"),
                       ("strong_share", "Strong", "share"), ("developing_share", "To develop", "share"))
LOW, MIDDLE, HIGH = "To develop", "Neither", "Strong"


def _principles(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    first: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        first.setdefault(row["principle_id"], row)
    return sorted(first.values(), key=principle_key)


def _spread(label: str, row: Mapping[str, Any]) -> charts.Spread:
    return charts.Spread(label, row.get("developing_share"), row.get("strong_share"), suppressed=bool(row.get("suppressed")))


def _observations(body: dict, chosen: dict[str, str]) -> View:
    rows = body["rows"]
    threshold = body["min_group_size"]
    principles = _principles(rows)
    total = total_row(rows)
    principle = chosen.get("principle") or ""
    notes = ["Strong: rated in the top quarter of the scale; to develop: below its middle. Reportable records only."]
    if not principle and total is None and principles:
        # Several schools and no trust-wide row (a phase chosen): compare the schools on one principle.
        principle = principles[0]["principle_id"]
        notes.append(f"Showing {principle_label(principles[0])} for each school; choose another principle above.")
    headline = []
    if total is not None:
        own = [row for row in rows if row["school_id"] == total["school_id"] and row.get("strong_share") is not None]
        if own:
            best = max(own, key=lambda row: row["strong_share"])
            worst = max(own, key=lambda row: row["developing_share"])
            headline = [("Strongest", f"{principle_label(best)} ({charts.percent(best['strong_share'])} strong)"),
                        ("Most to develop", f"{principle_label(worst)} ({charts.percent(worst['developing_share'])})")]
    if principle:
        chosen_rows = [row for row in rows if row["principle_id"] == principle]
        name = principle_label(chosen_rows[0]) if chosen_rows else "this principle"
        chart = charts.diverging_chart([_spread(row["school_name"], row) for row in chosen_rows],
                                       title=f"{name}: ratings per school, {body['year_label']}", low_label=LOW,
                                       middle_label=MIDDLE, high_label=HIGH, threshold=threshold, ident="observations")
        table = _school_table({**body, "rows": chosen_rows}, f"{name}, per school", OBSERVATION_COLUMNS)
        return View(headline, chart, table, _hidden_names(chosen_rows, lambda row: row["school_name"]), notes)
    own = sorted((row for row in rows if row["school_id"] == total["school_id"]), key=principle_key) if total else []
    where = total["school_name"] if total else ""
    chart = charts.diverging_chart([_spread(principle_label(row), row) for row in own],
                                   title=f"Observation ratings per principle, {where}, {body['year_label']}",
                                   low_label=LOW, middle_label=MIDDLE, high_label=HIGH, threshold=threshold,
                                   ident="observations")
    table = Table(_caption(f"Observation ratings per principle, {where}", body), "Principle",
                  tuple(heading for _key, heading, _kind in OBSERVATION_COLUMNS),
                  [(principle_label(row), [cell(row, key, kind) for key, _heading, kind in OBSERVATION_COLUMNS])
                   for row in own])
    return View(headline, chart, table, _hidden_names(own, principle_label), notes)


def _observations_glance(body: dict) -> Markup:
    total = total_row(body["rows"])
    own = sorted((row for row in body["rows"] if total and row["school_id"] == total["school_id"]), key=principle_key)
    where = total["school_name"] if total else "the schools chosen"
    return charts.diverging_chart([_spread(row.get("code") or principle_label(row), row) for row in own],
                                  title=f"Observation ratings per principle, {where}, {body['year_label']}",
                                  low_label=LOW, middle_label=MIDDLE, high_label=HIGH,
                                  threshold=body["min_group_size"], ident="glance-observations", compact=True)


PARTICIPATION_COLUMNS = (("staff", "Staff", "count"), ("observed", "Observed", "count"),
                         ("observed_share", "Observed share", "share"), ("records", "Records", "count"),
                         ("open_action_steps", "Open action steps", "count"), ("with_cpd", "With CPD", "count"),
                         ("cpd_share", "CPD share", "share"))
PARTICIPATION_SERIES = (("observed_share", "Observed"), ("cpd_share", "With CPD"))


def _participation(body: dict, chosen: dict[str, str]) -> View:
    rows = body["rows"]
    groups = [charts.Group(row["school_name"], tuple(bar_of(label, row, key) for key, label in PARTICIPATION_SERIES))
              for row in rows]
    chart = charts.grouped_chart(groups, [label for _key, label in PARTICIPATION_SERIES],
                                 title=f"Staff observed and staff with CPD, share of staff, {body['year_label']}",
                                 fmt=charts.percent, axis_max=1, threshold=body["min_group_size"], ident="participation")
    return View(_headline(total_row(rows), (("Staff", "staff", "count"), ("Observed", "observed_share", "share"),
                                            ("With CPD", "cpd_share", "share"),
                                            ("Open action steps", "open_action_steps", "count"))),
                chart, _school_table(body, "Participation per school", PARTICIPATION_COLUMNS),
                _hidden_names(rows, lambda row: row["school_name"]),
                ["Staff counts come from the staff directory and are always shown; the observed and CPD figures "
                 "are blanked where their reports blank them."])


def _participation_glance(body: dict) -> Markup:
    return charts.bar_chart([bar_of(row["school_name"], row, "observed_share") for row in body["rows"]],
                            title=f"Share of staff observed, {body['year_label']}", fmt=charts.percent, axis_max=1,
                            threshold=body["min_group_size"], ident="glance-participation", compact=True)


REPORTS: dict[str, Report] = {report.name: report for report in (
    Report("cpd", "CPD hours and spend", "Activities, hours, spend and cover per school.",
           (Choice("measure", "Chart shows", CPD_MEASURES),), _cpd, _cpd_glance),
    Report("cpd-types", "CPD by type", "What kinds of professional learning each school's staff did.",
           (Choice("measure", "Chart shows", TYPE_MEASURES),
            Choice("type", "Type of activity", tuple(SHORT_TYPE_LABELS.items()), blank="Every type")),
           _cpd_types, _cpd_types_glance),
    Report("impact", "CPD impact", "What staff said their learning changed: mean ratings from 1 to 5, straight "
           "after and at follow-up.", (Choice("stage", "When", tuple(STAGES.items())),), _impact, _impact_glance),
    Report("cpd-requests", "CPD requests", "Requests waiting for a decision and requests declined, with the cost asked.",
           (Choice("measure", "Chart shows", REQUEST_MEASURES),), _cpd_requests, _cpd_requests_glance),
    Report("observations", "Observation profiles", "How reportable observations rated each teaching and learning "
           "principle: where practice is strong and where it needs development.",
           (), _observations, _observations_glance),
    Report("participation", "Participation", "Staff observed and staff with CPD: where support has not reached yet.",
           (), _participation, _participation_glance),
)}


# --- filters ------------------------------------------------------------------------------------

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


def _own_choices(report: Report, body: dict | None) -> tuple[Choice, ...]:
    """The report's own filters; the observation profile's principles come from its answer."""
    if report.name != "observations" or not body:
        return report.choices
    return (Choice("principle", "Principle", tuple((row["principle_id"], principle_label(row))
                                                   for row in _principles(body["rows"])), blank="Every principle"),)


def _query(args: Mapping[str, str]) -> dict[str, str]:
    """The address's filters, to carry into links (to a report, to its CSV)."""
    return {key: value for key, value in api_filters(args).items() if value}

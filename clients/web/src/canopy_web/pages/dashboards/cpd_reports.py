"""The CPD reports: hours and spend per school, CPD by type, its impact, and the requests
waiting or declined."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from markupsafe import Markup

from canopy_web import charts
from canopy_web.pages.dashboards.figures import (
    ALL_SCHOOLS, AT_STAGE, FORMATS, IMPACT, SHORT_TYPE_LABELS, STATUSES, Table, View, _caption, _headline,
    _hidden_names, _school_table, bar_of, by_school, cell, count, mean, schools_of, total_row,
)

CPD_MEASURES = (("hours", "Hours"), ("cost", "Spend"), ("activities", "Activities"),
                ("hours_per_person", "Hours per person"), ("cover", "Activities needing cover"))
CPD_KINDS = {"hours": "hours", "cost": "money", "activities": "count", "hours_per_person": "hours", "cover": "count"}
CPD_COLUMNS = (("people", "People", "count"), ("activities", "Activities", "count"), ("hours", "Hours", "hours"),
               ("hours_per_person", "Hours per person", "hours"), ("cost", "Spend", "money"),
               ("cover", "Needing cover", "count"), ("external_share", "External", "share"))


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

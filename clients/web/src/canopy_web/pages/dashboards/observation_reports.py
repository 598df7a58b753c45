"""The reports about observation: the ratings of each teaching and learning principle, and
participation (staff observed and staff with CPD)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from markupsafe import Markup

from canopy_web import charts
from canopy_web.pages.dashboards.figures import (
    Table, View, _caption, _headline, _hidden_names, _school_table, bar_of, cell, principle_key, principle_label,
    total_row,
)

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

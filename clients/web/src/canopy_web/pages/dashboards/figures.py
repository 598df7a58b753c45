"""How the dashboards read reporting's rows: the names of what they count, a figure as text
(blanked is "not shown", never a zero), the tables beside the charts, the row the headline comes
from, and a two-way report's cells by school."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from markupsafe import Markup

from canopy_web import charts

ALL_SCHOOLS = "all"  # reporting's trust-wide row

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


@dataclass
class View:
    """What a report page shows for one answer: headline figures, the chart, its table, and the
    rows whose figures the API blanked."""
    headline: list[tuple[str, str]]
    chart: Markup
    table: Table
    hidden: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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


def _school_table(body: dict, title: str, columns: Sequence[tuple[str, str, str]]) -> Table:
    return Table(_caption(title, body), "School", tuple(heading for _key, heading, _kind in columns),
                 [(row["school_name"], [cell(row, key, kind) for key, _heading, kind in columns]) for row in body["rows"]])

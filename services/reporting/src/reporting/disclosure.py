"""Which rollup cells the dashboards may show: decided once per trust and year over every cell
(every school, the trust-wide row, staff at no school), whoever asks and whatever they filter, so
that no combination of answers gives back a figure about fewer than the threshold of people
(``canopy_kit.privacy.suppression``).

Cells that add up to one another are one table. CPD is a two-way table: a school's total
(``cpd_school``) is the sum of its types (``cpd_type``), and a type's trust-wide row the sum of
the schools; observations per principle, CPD impact per stage, CPD requests per status and
observed staff per school are tables whose columns add up to the trust's row. A report that shows
a rollup's cells (or figures taken from them, as participation does) blanks what the rollup's
table blanks.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from canopy_kit.privacy.suppression import TOTAL, hidden_cells, table
from reporting.tables import (
    cpd_request_cells, cpd_school_cells, cpd_type_cells, impact_cells, obs_principle_cells, obs_school_cells,
)
from reporting.domain.scope import ALL_SCHOOLS

Hidden = set[tuple[str, str, str]]  # (rollup, school, dimension value; "" for none)

# rollup -> (its cells, their dimension column); the tables below name rollups only.
_CELLS: dict[str, tuple[Table, str | None]] = {
    "obs_school": (obs_school_cells, None),
    "obs_principle": (obs_principle_cells, "principle_id"),
    "impact": (impact_cells, "stage"),
    "cpd_school": (cpd_school_cells, None),
    "cpd_type": (cpd_type_cells, "activity_type"),
    "cpd_request": (cpd_request_cells, "status"),
}
# Each table: its rollups, and for a two-way table the rollup that holds the rows' totals.
TABLES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("obs_school",), None),
    (("obs_principle",), None),
    (("impact",), None),
    (("cpd_type", "cpd_school"), "cpd_school"),
    # One-way, like observations per principle: each status's schools add up to its trust row, and
    # no report shows a school's requests over every status, so a school's statuses are parts of no
    # equation anyone can see. (Requests are their own facts, not activities: an approved request's
    # activity is counted again in the CPD table, decided there.)
    (("cpd_request",), None),
)
assert ALL_SCHOOLS == TOTAL  # the trust-wide row is the table's total row


def _people(session: Session, rollup: str, trust_id: str, year: int) -> dict[tuple[str, str], int]:
    cells, dimension = _CELLS[rollup]
    column = cells.c[dimension] if dimension else None
    query = select(cells.c.school_id, *([column] if column is not None else []), cells.c.people).where(
        cells.c.trust_id == trust_id, cells.c.academic_year == year)
    return {(row[0], str(row[1]) if column is not None else ""): row[-1] for row in session.execute(query)}


def hidden(session: Session, trust_id: str, year: int, threshold: int, rollups: Iterable[str]) -> Hidden:
    """The cells of these rollups (and of every rollup they add up with) to blank."""
    wanted = set(rollups)
    blank: Hidden = set()
    for members, row_totals in TABLES:
        if not wanted & set(members):
            continue
        people: dict[tuple[str, str], int] = {}
        origin: dict[tuple[str, str], str] = {}
        for rollup in members:
            for (school, value), count in _people(session, rollup, trust_id, year).items():
                key = (school, TOTAL if rollup == row_totals else value)
                people[key], origin[key] = count, rollup
        for school, value in hidden_cells(table(people, row_totals=row_totals is not None), threshold):
            rollup = origin[(school, value)]
            blank.add((rollup, school, "" if rollup == row_totals else value))
    return blank

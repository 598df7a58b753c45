"""Small-group suppression, as every report applies it: a row's figures are blanked where the
rollup cell they come from is one its table hides (``reporting.disclosure`` decides which, once
for the whole trust; ``canopy_kit.privacy.suppression`` says why no answer can then undo it).

A row may take figures from more than one rollup (participation: observed staff from one, staff
with CPD from another); each set is blanked on its own, and the row says ``suppressed`` if any was.
"""
from __future__ import annotations

from typing import Any, Collection, Mapping

Row = dict[str, Any]


def cell_of(row: Row, rollup: str, dimension: str | None) -> tuple[str, str, str]:
    return rollup, row["school_id"], str(row[dimension]) if dimension else ""


def suppress(rows: list[Row], hidden: Collection[tuple[str, str, str]], sources: Mapping[str, Collection[str]],
             dimension: str | None = None) -> list[Row]:
    """Blank, in place, the figures (``sources``: rollup -> the row's fields taken from it) whose
    cell is hidden. Every row gets ``suppressed``; returns the rows."""
    for row in rows:
        row["suppressed"] = False
        for rollup, names in sources.items():
            if cell_of(row, rollup, dimension) in hidden:
                row["suppressed"] = True
                for name in names:
                    row[name] = None
    return rows

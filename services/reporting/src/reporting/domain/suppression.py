"""Small-group suppression: a figure about fewer than ``threshold`` people could identify someone,
so it is not shown.

Blanking the small rows alone is not enough where a total is shown beside them: the total minus
the visible rows gives the one blank row back. So where exactly one row of a group of siblings
(e.g. the schools' rows for one principle) is blanked, the next smallest is blanked too
(complementary suppression, as statistical offices do).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterable

Row = dict[str, Any]


def blank(row: Row, measures: Iterable[str]) -> None:
    row["suppressed"] = True
    row["people"] = None
    for name in measures:
        row[name] = None


def suppress(rows: list[Row], threshold: int, measures: Iterable[str],
             siblings: Callable[[Row], Any] = lambda row: None) -> list[Row]:
    """Blank, in place, the rows of fewer than ``threshold`` people (a row of nobody is shown:
    zero identifies no one), then one more row in any group of siblings with a single blank.
    Every row gets ``suppressed``; returns the rows."""
    measures = tuple(measures)
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        row["suppressed"] = False
        groups[siblings(row)].append(row)
    for group in groups.values():
        small = [row for row in group if 0 < row["people"] < threshold]
        if len(small) == 1 and len(group) > 1:
            shown = sorted((row for row in group if row is not small[0] and row["people"]),
                           key=lambda row: row["people"])
            small.extend(shown[:1])
        for row in small:
            blank(row, measures)
    return rows

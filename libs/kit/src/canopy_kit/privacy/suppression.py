"""Small-group suppression that no combination of answers can undo.

A report is a table of cells: **parts** (the finest cells, e.g. one school and one principle) and
**totals** (sums of parts: a school over every type, the trust over every school, the trust over
everything). A cell about fewer than ``threshold`` people is blanked. Blanking it alone is not
enough: a total minus the parts beside it gives it back, and so can longer chains (a school's
total minus its other types, where those come from the trust's row minus other schools...).

The rule here is decided once per table, for the whole population, so every filter a caller can
ask only *selects* cells of the one table and never reveals a cell another answer hides.

Why it is safe. Each total is an equation "total = sum of its parts". Put the equations as the
vertices of a graph and every cell as an edge between the two equations it takes part in (a part
of a table with no row totals joins its column to a common "ground"). What a caller can derive
from the visible cells is exactly the combinations of hidden cells that a set of equations gives:
in graph terms, the cuts of the graph of hidden cells. Suppose a group of small parts G could be
derived: some weighted sum of equations would give 1 on G's cells and 0 on every other hidden
cell, so the weights of two equations joined by a hidden cell outside G are equal. If both ends of
every small hidden part are joined by a path of hidden cells that can never belong to such a
group (totals, and parts of at least ``threshold`` people), the two ends of a cell in G have equal
weights, and its coefficient is 0, not 1: no group of small parts is derivable, whatever is added
or subtracted. Any other group contains a part of at least ``threshold`` people.

``hidden_cells`` makes that true: it blanks the small cells, then, for each small part whose ends
are not yet joined, the cheapest path of further cells (parts before totals, the grand total
last; fewest people first).
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Hashable, Iterable, Mapping

TOTAL = "all"  # the row or column key of a total (the trust as a whole; every type)
GROUND = ("ground",)  # where the parts of a table without row totals meet

# The cost of blanking one more cell, by kind: a part is cheaper to lose than a school's or a
# type's total, and the trust's grand total is blanked only when nothing else would do.
_COST = {0: 10**6, 1: 10**9, 2: 10**12}


@dataclass(frozen=True)
class Cell:
    key: Hashable
    ends: tuple[Hashable, Hashable]  # the two equations (totals) it takes part in
    people: int
    total: bool  # a sum of other cells, never one of the finest parts
    kind: int  # 0 part, 1 subtotal, 2 grand total: the order complements are taken in


def table(people: Mapping[tuple[Hashable, Hashable], int], *, row_totals: bool) -> list[Cell]:
    """The cells of a table keyed ``(row, column)``, ``TOTAL`` as the row or column of a total.
    Without row totals (``row_totals=False``) only the columns add up: each column's parts and its
    total ``(TOTAL, column)``."""
    cells = []
    for (row, column), count in people.items():
        if not row_totals and column == TOTAL:
            raise ValueError("a table without row totals has no total column")
        row_end = ("row", row) if row_totals else GROUND
        kind = (row == TOTAL) + (column == TOTAL)
        cells.append(Cell((row, column), (row_end, ("column", column)), int(count or 0), kind > 0, kind))
    return cells


class _Joined:
    """Which equations are joined by hidden cells that no small group can contain (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, node: Hashable) -> Hashable:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def join(self, a: Hashable, b: Hashable) -> None:
        self.parent[self.find(a)] = self.find(b)


def hidden_cells(cells: Iterable[Cell], threshold: int) -> set[Hashable]:
    """The keys of the cells to blank. A cell of nobody is shown (zero identifies no one)."""
    cells = [cell for cell in cells if cell.people > 0]
    small = [cell for cell in cells if cell.people < threshold]
    hidden = {cell.key for cell in small}
    # Cells that may join two equations: any total, and parts of enough people.
    graph: dict[Hashable, list[tuple[Hashable, Cell]]] = {}
    joined = _Joined()
    for cell in cells:
        if cell.total or cell.people >= threshold:
            a, b = cell.ends
            graph.setdefault(a, []).append((b, cell))
            graph.setdefault(b, []).append((a, cell))
            if cell.key in hidden:
                joined.join(a, b)
    for part in sorted((c for c in small if not c.total), key=lambda c: (c.people, str(c.key))):
        if joined.find(part.ends[0]) == joined.find(part.ends[1]):
            continue
        for cell in _cheapest_path(graph, hidden, part.ends):
            hidden.add(cell.key)
            joined.join(*cell.ends)
    return hidden


def _cheapest_path(graph: dict, hidden: set, ends) -> list[Cell]:
    """The visible cells to blank so that ``ends`` are joined: Dijkstra over the equations, cells
    already hidden free."""
    start, goal = ends
    best: dict[Hashable, int] = {start: 0}
    came: dict[Hashable, tuple[Hashable, Cell]] = {}
    queue = [(0, 0, start)]
    order = 1
    while queue:
        cost, _, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best[node]:
            continue
        for other, cell in graph.get(node, ()):
            total = cost + (0 if cell.key in hidden else _COST[cell.kind] + cell.people)
            if total < best.get(other, total + 1):
                best[other] = total
                came[other] = (node, cell)
                heapq.heappush(queue, (total, order, other))
                order += 1
    if goal not in best:
        # Only when nothing joins the part to anything (a table of parts alone, without totals):
        # then nothing derives it either.
        return []
    path, node = [], goal
    while node != start:
        node, cell = came[node]
        if cell.key not in hidden:
            path.append(cell)
    return path

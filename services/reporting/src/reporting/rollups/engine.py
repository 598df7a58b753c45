"""Rollups: additive totals per cell (trust, academic year, school, one dimension), with the number
of distinct people behind each, kept up to date from fact changes and rebuildable from the facts.

A rollup is defined once (``Rollup``): which fact table feeds it, which column is its dimension,
and how one fact row counts, as a Python function for the event path and as SQL for the rebuild
(a test keeps the two in agreement). Every fact counts twice: in its school's cell and in the
trust-wide cell (school ``all``), so the trust's figure counts each person once even if they
worked at two schools.

Distinct people cannot be added up, so ``cell_people`` keeps how many facts of each person each
cell counts: a cell gains a person when their count leaves zero and loses them when it returns to
zero. Rows read for an update are locked (``FOR UPDATE`` on PostgreSQL), and new rows are plain
inserts, so two consumers racing on one cell make one of them fail and retry instead of losing a
count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from sqlalchemy import (
    ColumnElement, String, Table, bindparam, cast, delete, func, insert, literal, select, tuple_, union_all,
    update,
)
from sqlalchemy.orm import Session

from reporting.domain.scope import ALL_SCHOOLS
from reporting.tables import cell_people

CellKey = tuple[str, int, str, str]  # trust, academic year, school, dimension value ("" if none)


@dataclass(frozen=True)
class Rollup:
    name: str
    cells: Table
    facts: Table
    dimension: str | None  # the cells' (and the facts') dimension column
    measure: Callable[[dict[str, Any]], dict[str, Any]]  # one fact row -> what it adds to its cell
    measure_sql: Callable[[Table], dict[str, ColumnElement]]  # the same, as SQL over the fact table
    counts: Callable[[dict[str, Any]], bool] = lambda fact: True  # does this fact count at all?
    counts_sql: Callable[[Table], ColumnElement] | None = None
    person: str = "person_id"
    measures: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        key = {"trust_id", "academic_year", "school_id", self.dimension}
        object.__setattr__(self, "measures", tuple(c.name for c in self.cells.columns
                                                   if c.name not in key and c.name != "people"))

    def key_columns(self) -> list[str]:
        return ["trust_id", "academic_year", "school_id", *([self.dimension] if self.dimension else [])]

    def cell_keys(self, fact: dict[str, Any]) -> list[CellKey]:
        dimension = str(fact[self.dimension]) if self.dimension else ""
        year = int(fact["academic_year"])
        return [(fact["trust_id"], year, fact["school_id"], dimension),
                (fact["trust_id"], year, ALL_SCHOOLS, dimension)]


def cell_key_text(key: CellKey) -> str:
    return "|".join(str(part) for part in key)


@dataclass
class Changes:
    """What a batch of fact changes does to the rollups, before it is written."""

    facts: dict[tuple[str, CellKey, str], int] = field(default_factory=lambda: defaultdict(int))
    cells: dict[tuple[str, CellKey], dict[str, Any]] = field(default_factory=dict)

    def count(self, rollup: Rollup, fact: dict[str, Any], sign: int) -> None:
        if not rollup.counts(fact):
            return
        adds = rollup.measure(fact)
        for key in rollup.cell_keys(fact):
            self.facts[(rollup.name, key, str(fact[rollup.person]))] += sign
            totals = self.cells.setdefault((rollup.name, key), defaultdict(int))
            for name, value in adds.items():
                totals[name] += sign * value


def apply(session: Session, rollups: Iterable[Rollup], changes: Changes) -> None:
    for rollup in rollups:
        people = _apply_people(session, rollup, {k: n for k, n in changes.facts.items() if k[0] == rollup.name and n})
        deltas = {key: totals for (name, key), totals in changes.cells.items() if name == rollup.name}
        for key, gained in people.items():
            deltas.setdefault(key, defaultdict(int))["people"] += gained
        _apply_cells(session, rollup, deltas)


def _apply_people(session: Session, rollup: Rollup, deltas: dict[tuple[str, CellKey, str], int]) -> dict[CellKey, int]:
    """Update each (cell, person) fact count; returns how many people each cell gained (or lost)."""
    if not deltas:
        return {}
    texts = {key: cell_key_text(key) for _, key, _ in deltas}
    c = cell_people.c
    # Exact (cell, person) pairs: a trust-wide cell counts thousands of people, and asking for its
    # cells and these persons separately would read them all.
    pairs = [(texts[key], person) for _, key, person in deltas]
    existing = {(row.cell_key, row.person_id): row.facts for row in session.execute(
        select(c.cell_key, c.person_id, c.facts).where(
            c.rollup == rollup.name, tuple_(c.cell_key, c.person_id).in_(pairs))
        .with_for_update())}
    gained: dict[CellKey, int] = defaultdict(int)
    inserts, updates, deletes = [], [], []
    for (_, key, person), delta in deltas.items():
        old = existing.get((texts[key], person), 0)
        new = old + delta
        if new < 0:
            raise ValueError(f"{rollup.name}: cell {texts[key]} would count {new} facts of {person}")
        row = {"rollup": rollup.name, "cell_key": texts[key], "person_id": person, "facts": new}
        if old == 0 and new > 0:
            gained[key] += 1
            inserts.append(row)
        elif old > 0 and new == 0:
            gained[key] -= 1
            deletes.append(row)
        elif new != old:
            updates.append(row)
    _write(session, cell_people, ["rollup", "cell_key", "person_id"], inserts, updates, deletes)
    return gained


def _apply_cells(session: Session, rollup: Rollup, deltas: dict[CellKey, dict[str, Any]]) -> None:
    if not deltas:
        return
    table, names = rollup.cells, rollup.key_columns()
    columns = [table.c[name] for name in names]
    wanted = [key[:len(names)] for key in deltas]
    existing = {tuple(row[:len(names)]): row._mapping for row in session.execute(
        select(table).where(tuple_(*columns).in_(wanted)).with_for_update())}
    measures = ("people", *rollup.measures)
    inserts, updates, deletes = [], [], []
    for key, delta in deltas.items():
        key = key[:len(names)]
        old = existing.get(key)
        row = {**dict(zip(names, key)),
               **{name: (old[name] if old is not None else 0) + delta.get(name, 0) for name in measures}}
        if row["people"] == 0:  # nobody left: no facts either, and no cell (as a rebuild would find)
            if old is not None:
                deletes.append(row)
        elif old is None:
            inserts.append(row)
        elif any(delta.get(name) for name in measures):
            updates.append(row)
    _write(session, table, names, inserts, updates, deletes)


def _write(session: Session, table: Table, keys: list[str], inserts: list[dict], updates: list[dict],
           deletes: list[dict]) -> None:
    """New rows inserted, changed rows updated in place, emptied rows deleted: at most three
    statements. (Updating in place matters: a consumer waiting on a locked row then reads its new
    version, where a deleted-and-reinserted row would be skipped and its count lost.)"""
    key_columns = [table.c[name] for name in keys]
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        values = [name for name in updates[0] if name not in keys]
        session.execute(
            update(table).where(*(column == bindparam(f"key_{column.name}") for column in key_columns))
            .values({name: bindparam(f"new_{name}") for name in values}),
            [{**{f"key_{k}": row[k] for k in keys}, **{f"new_{v}": row[v] for v in values}} for row in updates])
    if deletes:
        session.execute(delete(table).where(tuple_(*key_columns).in_([tuple(row[k] for k in keys) for row in deletes])))


def rebuild(session: Session, rollup: Rollup, trust_id: str | None = None) -> None:
    """Recompute a rollup's cells and people from its facts, in a few set-based statements."""
    facts, names = rollup.facts, rollup.key_columns()
    cells_where = [rollup.cells.c.trust_id == trust_id] if trust_id else []
    people_where = [cell_people.c.rollup == rollup.name]
    if trust_id:
        people_where.append(cell_people.c.cell_key.startswith(f"{trust_id}|"))
    session.execute(delete(rollup.cells).where(*cells_where))
    session.execute(delete(cell_people).where(*people_where))

    dimension = [facts.c[rollup.dimension].label(rollup.dimension)] if rollup.dimension else []
    measures = [expr.label(name) for name, expr in rollup.measure_sql(facts).items()]
    where = [facts.c.trust_id == trust_id] if trust_id else []
    if rollup.counts_sql is not None:
        where.append(rollup.counts_sql(facts))
    levels = [select(facts.c.trust_id, facts.c.academic_year, school, *dimension,
                     facts.c[rollup.person].label("person_id"), *measures).where(*where)
              for school in (facts.c.school_id.label("school_id"), literal(ALL_SCHOOLS, String).label("school_id"))]
    source = union_all(*levels).subquery("counted")
    keys = [source.c[name] for name in names]
    dimension_text = source.c[rollup.dimension] if rollup.dimension else literal("")
    key_text = (source.c.trust_id + "|" + cast(source.c.academic_year, String) + "|" + source.c.school_id + "|"
                + dimension_text)
    session.execute(insert(cell_people).from_select(
        ["rollup", "cell_key", "person_id", "facts"],
        select(literal(rollup.name, String), key_text, source.c.person_id, func.count())
        .group_by(*keys, source.c.person_id)))
    session.execute(insert(rollup.cells).from_select(
        [*names, "people", *rollup.measures],
        select(*keys, func.count(source.c.person_id.distinct()),
               *[func.sum(source.c[name]) for name in rollup.measures]).group_by(*keys)))

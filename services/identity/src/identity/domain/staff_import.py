"""The staff import's rules: each row checked against the others and against the trust.

``importer.parse`` reads the file into ``StaffRow``s (each checked on its own); ``check`` holds
them to what the trust already has (``TrustState``, loaded by ``importer.trust_state``) and to each
other: one employment per person, school and start; one name per email; a school that exists and
is open; a line manager who is in the file or the trust and works at the school; no circle of line
managers. A row with a problem is named by its line; nothing is imported while any has one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from identity.domain.periods import running_on


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    reason: str

    def to_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class StaffRow:
    line: int
    email: str
    given_name: str
    family_name: str
    preferred_name: str | None
    school_urn: str
    job_title: str
    staff_category: str
    fte: Decimal
    starts_on: date
    ends_on: date | None
    roles: tuple[str, ...]
    line_manager_email: str | None


@dataclass
class TrustState:
    """What the trust holds now, loaded once so that checking 10,000 rows costs a few queries."""

    schools_by_urn: dict[str, tuple[str, str]]  # urn -> (school id, status)
    people_by_email: dict[str, dict]
    employments: dict[tuple[str, str, date], dict]  # (person, school, starts_on) -> row
    grants: set[tuple[str, str, str]]  # (person, role, scope id) running now or later
    managers: dict[tuple[str, str], dict]  # (person, school) -> the line management running now or later
    employed_at: set[tuple[str, str]]  # (person, school) with an employment running today
    trust_managers: set[str]
    # (person, school) -> their employment rows there, and the line management running past some
    # day that names them (managed or managing): what ending an employment must look at.
    jobs: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    lines: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    # URN -> the names of the schools sharing it: only a trust not yet migrated to unique URNs
    # (revision 0003) can have any, and a row naming one is refused, never given to either school.
    shared_urns: dict[str, list[str]] = field(default_factory=dict)

    def add_job(self, row: dict) -> None:
        self.jobs.setdefault((row["person_id"], row["school_id"]), []).append(row)

    def add_line(self, row: dict) -> None:
        for person_id in {row["person_id"], row["manager_id"]}:
            self.lines.setdefault((person_id, row["school_id"]), []).append(row)

    def works_at(self, person_id: str, school_id: str, on: date) -> bool:
        return any(running_on(j["starts_on"], j["ends_on"], on) for j in self.jobs.get((person_id, school_id), ()))


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    rows: list[StaffRow] = field(default_factory=list)


def _cycles(edges: dict[str, set[str]]) -> set[str]:
    """People who are (through others) their own line manager in this graph."""
    in_cycle: set[str] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    for start in list(edges):
        if state.get(start):
            continue
        stack = [(start, iter(edges.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                in_cycle.update(path[path.index(child):])
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(edges.get(child, ()))))
    return in_cycle


def check(rows: list[StaffRow], state: TrustState) -> Plan:
    plan = Plan()
    problems = plan.problems
    seen_keys: dict[tuple, int] = {}
    names: dict[str, tuple] = {}
    file_schools: dict[str, set[str]] = {}
    for row in rows:
        key = (row.email, row.school_urn, row.starts_on)
        if key in seen_keys:
            problems.append(Problem(row.line, "email", f"the same employment is on line {seen_keys[key]} too"))
            continue
        seen_keys[key] = row.line
        name = (row.given_name, row.family_name, row.preferred_name)
        if names.setdefault(row.email, name) != name:
            problems.append(Problem(row.line, "given_name", "names differ from another row of the same email"))
        if row.school_urn in state.shared_urns:
            problems.append(Problem(row.line, "school_urn", f"schools of this trust share URN {row.school_urn!r} ("
                                    f"{', '.join(state.shared_urns[row.school_urn])}); give each its own first"))
            continue
        school = state.schools_by_urn.get(row.school_urn)
        if school is None:
            problems.append(Problem(row.line, "school_urn", f"no school of this trust has URN {row.school_urn!r}"))
            continue
        if school[1] != "open":
            problems.append(Problem(row.line, "school_urn", "the school is closed"))
            continue
        file_schools.setdefault(row.email, set()).add(row.school_urn)
    known = set(state.people_by_email) | set(names)
    edges: dict[str, set[str]] = {}
    for (person_id, _school), assignment in state.managers.items():
        edges.setdefault(person_id, set()).add(assignment["manager_id"])
    email_of = {p["id"]: email for email, p in state.people_by_email.items()}
    edges = {email_of.get(p, p): {email_of.get(m, m) for m in ms} for p, ms in edges.items()}
    for row in rows:
        if row.line_manager_email is None or row.school_urn not in state.schools_by_urn:
            continue
        manager = row.line_manager_email
        if manager not in known:
            problems.append(Problem(row.line, "line_manager_email", f"{manager} is not in the file or the trust"))
            continue
        school_id = state.schools_by_urn[row.school_urn][0]
        manager_row = state.people_by_email.get(manager)
        works_there = row.school_urn in file_schools.get(manager, set()) or (
            manager_row is not None and ((manager_row["id"], school_id) in state.employed_at
                                         or manager_row["id"] in state.trust_managers))
        if not works_there:
            problems.append(Problem(row.line, "line_manager_email", f"{manager} does not work at this school"))
            continue
        edges.setdefault(row.email, set()).add(manager)
    looping = _cycles(edges)
    for row in rows:
        if row.line_manager_email and row.email in looping and row.line_manager_email in looping:
            problems.append(Problem(row.line, "line_manager_email", "line management would go round in a circle"))
    bad_lines = {p.line for p in problems}
    plan.rows = [row for row in rows if row.line not in bad_lines]
    return plan


def manager_start(row: StaffRow, today: date) -> date:
    """Line management from the import starts today, or when the employment starts if later."""
    return max(today, row.starts_on)

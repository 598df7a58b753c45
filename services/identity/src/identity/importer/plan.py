"""Checking parsed rows against the trust and working out what the import would change."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from identity.db import employments, line_managers, people, role_grants, schools
from identity.importer.parse import Problem, StaffRow

TRUST_MANAGER_ROLES = ("trust_leader", "trust_admin")


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

    @classmethod
    def load(cls, session: Session, trust_id: str, today: date) -> "TrustState":
        def rows(query):
            return [dict(r) for r in session.execute(query).mappings()]

        school_rows = rows(select(schools.c.id, schools.c.name, schools.c.urn, schools.c.status)
                           .where(schools.c.trust_id == trust_id).order_by(schools.c.name))
        named: dict[str, list[str]] = {}
        for r in school_rows:
            if r["urn"]:
                named.setdefault(r["urn"], []).append(r["name"])
        employment_rows = rows(select(employments).where(employments.c.trust_id == trust_id))
        running = or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to >= today)
        grant_rows = rows(select(role_grants.c.person_id, role_grants.c.role, role_grants.c.scope_id,
                                 role_grants.c.scope_type).where(role_grants.c.trust_id == trust_id, running))
        line_rows = rows(select(line_managers).where(  # not the empty ones: they never run
            line_managers.c.trust_id == trust_id,
            or_(line_managers.c.ends_on.is_(None), line_managers.c.ends_on >= line_managers.c.starts_on)))
        # The latest period per person and school that has not ended before today: a fixed-term
        # one (ended with its employment) still counts, so re-importing its row changes nothing.
        manager_rows = sorted((r for r in line_rows if r["ends_on"] is None or r["ends_on"] >= today),
                              key=lambda r: r["starts_on"])
        state = cls(
            schools_by_urn={r["urn"]: (r["id"], r["status"]) for r in school_rows if len(named.get(r["urn"], ())) == 1},
            people_by_email={r["email"]: r for r in rows(select(people).where(people.c.trust_id == trust_id))},
            employments={(r["person_id"], r["school_id"], r["starts_on"]): r for r in employment_rows},
            grants={(r["person_id"], r["role"], r["scope_id"]) for r in grant_rows},
            managers={(r["person_id"], r["school_id"]): r for r in manager_rows},
            employed_at={(r["person_id"], r["school_id"]) for r in employment_rows
                         if r["starts_on"] <= today and (r["ends_on"] is None or r["ends_on"] >= today)},
            trust_managers={r["person_id"] for r in grant_rows
                            if r["scope_type"] == "trust" and r["role"] in TRUST_MANAGER_ROLES},
            shared_urns={urn: names for urn, names in named.items() if len(names) > 1},
        )
        for row in employment_rows:
            state.add_job(row)
        for row in line_rows:
            state.add_line(row)
        return state

    def add_job(self, row: dict) -> None:
        self.jobs.setdefault((row["person_id"], row["school_id"]), []).append(row)

    def add_line(self, row: dict) -> None:
        for person_id in {row["person_id"], row["manager_id"]}:
            self.lines.setdefault((person_id, row["school_id"]), []).append(row)

    def works_at(self, person_id: str, school_id: str, on: date) -> bool:
        return any(j["starts_on"] <= on and (j["ends_on"] is None or j["ends_on"] >= on)
                   for j in self.jobs.get((person_id, school_id), ()))


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


def day_before(day: date) -> date:
    return day - timedelta(days=1)

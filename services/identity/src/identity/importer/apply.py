"""Applying a checked staff import: everything in one transaction, or nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from types import SimpleNamespace
from typing import Callable

from sqlalchemy import insert, update

from canopy_kit.db.uow import UnitOfWork
from identity.commands.common import (
    audit, employment_payload, grant_payload, line_payload, new_id, now, person_payload,
)
from identity.domain.line_management import outlives
from identity.domain.periods import day_before
from identity.domain.staff_import import Problem, TrustState, check, manager_start
from identity.importer.parse import parse
from identity.importer.trust_state import load_trust_state
from identity.tables import employments, line_managers, people, role_grants

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=lambda: dict.fromkeys((
        "people_created", "people_updated", "employments_created", "employments_updated", "roles_granted",
        "line_managers_assigned", "line_managers_ended"), 0))
    applied: bool = False

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"valid": self.valid, "applied": self.applied, "rows": self.rows, "changes": self.changes,
                "problems": [p.to_dict() for p in sorted(self.problems, key=lambda p: (p.line, p.field))]}


class _Writer:
    """Collects rows and events, then writes each table with one statement."""

    def __init__(self, uow: UnitOfWork, trust_id: str, actor_id: str | None, report: ImportReport):
        self.uow, self.trust_id, self.actor_id, self.report = uow, trust_id, actor_id, report
        self.inserts: dict = {people: [], employments: [], role_grants: [], line_managers: []}
        self.events: list = []
        self._lines: dict[str, dict] = {}  # assignment id -> the payload all its events share

    def event(self, event_type: str, payload: dict, school_id: str | None = None) -> None:
        self.events.append((event_type, payload, {"trust_id": self.trust_id, "school_id": school_id,
                                                  "actor_id": self.actor_id}))

    def line_event(self, event_type: str, row: dict, school_id: str) -> None:
        """An event of a line-management row, carrying the row as it is at the end of the import:
        events written in one statement may share a time, and a projection keeps whichever of
        equal times comes last, so an assignment's events must not disagree."""
        payload = self._lines.setdefault(row["id"], {})
        payload.update(line_payload(SimpleNamespace(**row)))
        self.event(event_type, payload, school_id)

    def add(self, table, values: dict, count: str) -> dict:
        self.inserts[table].append(values)
        self.report.changes[count] += 1
        return values

    def update(self, table, row_id: str, values: dict, count: str) -> None:
        self.uow.session.execute(update(table).where(table.c.id == row_id).values(**values))
        self.report.changes[count] += 1

    def flush(self) -> None:
        for table, rows in self.inserts.items():  # parents before children: the dict keeps that order
            if rows:
                self.uow.session.execute(insert(table), rows)
        self.uow.publish_many(self.events)



def _apply(uow: UnitOfWork, state: TrustState, rows, trust_id: str, actor_id: str | None, report: ImportReport,
           today: date, progress: Progress | None, dry_run: bool) -> None:
    writer = _Writer(uow, trust_id, actor_id, report)
    person_ids: dict[str, str] = {}
    job_ends: list[tuple[str, str, date]] = []  # (person, school, last day) of each row's employment that ends
    for row in rows:  # people first: line managers may be defined later in the file
        if row.email in person_ids:
            continue
        existing = state.people_by_email.get(row.email)
        names = {"given_name": row.given_name, "family_name": row.family_name, "preferred_name": row.preferred_name}
        if existing is None:
            values = writer.add(people, {"id": new_id(), "trust_id": trust_id, "email": row.email, "status": "invited",
                                         "password_hash": None, "password_changed_at": None, "created_at": now(),
                                         **names}, "people_created")
            writer.event("identity.person.registered", person_payload(SimpleNamespace(**values)))
            person_ids[row.email] = values["id"]
            continue
        person_ids[row.email] = existing["id"]
        if any(existing[k] != v for k, v in names.items()):
            writer.update(people, existing["id"], names, "people_updated")
            writer.event("identity.person.updated", person_payload(SimpleNamespace(**{**existing, **names})))
    for done, row in enumerate(rows, 1):
        person_id = person_ids[row.email]
        school_id = state.schools_by_urn[row.school_urn][0]
        job = {"job_title": row.job_title, "staff_category": row.staff_category, "fte": row.fte,
               "ends_on": row.ends_on}
        existing = state.employments.get((person_id, school_id, row.starts_on))
        if existing is None:
            values = writer.add(employments, {"id": new_id(), "trust_id": trust_id, "person_id": person_id,
                                              "school_id": school_id, "starts_on": row.starts_on, **job},
                                "employments_created")
            writer.event("identity.employment.started", employment_payload(SimpleNamespace(**values)), school_id)
            state.add_job(values)
        elif any(existing[k] != v for k, v in job.items()):
            writer.update(employments, existing["id"], job, "employments_updated")
            event = "identity.employment.ended" if row.ends_on and existing["ends_on"] is None \
                else "identity.employment.updated"
            writer.event(event, employment_payload(SimpleNamespace(**{**existing, **job})), school_id)
            existing.update(job)
        if row.ends_on is not None:  # on every import: what already ended with it is left alone
            job_ends.append((person_id, school_id, row.ends_on))
        for role in row.roles:
            if (person_id, role, school_id) not in state.grants:
                state.grants.add((person_id, role, school_id))
                values = writer.add(role_grants, {"id": new_id(), "trust_id": trust_id, "person_id": person_id,
                                                  "role": role, "scope_type": "school", "scope_id": school_id,
                                                  "valid_from": row.starts_on, "valid_to": None}, "roles_granted")
                writer.event("identity.role.granted", grant_payload(SimpleNamespace(**values)), school_id)
        if row.line_manager_email:
            _line_manager(writer, state, row, person_id, person_ids[row.line_manager_email]
                          if row.line_manager_email in person_ids
                          else state.people_by_email[row.line_manager_email]["id"], school_id, today)
        if progress is not None and (done % 500 == 0 or done == len(rows)):
            progress(done, len(rows))
    _end_outlived_lines(writer, state, job_ends)  # after every row: a later one may name them as a manager
    if not dry_run:
        writer.flush()


def _end_outlived_lines(writer: _Writer, state: TrustState, job_ends: list[tuple[str, str, date]]) -> None:
    """Line management at a school ends with the employment there, by the rule ``end_employment``
    follows (``outlives``), whether it was in the trust already or comes from this file."""
    new_lines = {values["id"] for values in writer.inserts[line_managers]}
    for person_id, school_id, last_day in job_ends:
        for line in state.lines.get((person_id, school_id), ()):
            if not outlives(last_day, line["starts_on"], line["ends_on"],
                            partial(state.works_at, person_id, school_id)):
                continue
            line["ends_on"] = last_day  # a row still to be inserted is inserted so
            if line["id"] in new_lines:
                writer.report.changes["line_managers_ended"] += 1
            else:
                writer.update(line_managers, line["id"], {"ends_on": last_day}, "line_managers_ended")
            writer.line_event("identity.line_manager.ended", line, school_id)


def _line_manager(writer: _Writer, state: TrustState, row, person_id: str, manager_id: str, school_id: str,
                  today: date) -> None:
    current = state.managers.get((person_id, school_id))
    if current is not None and current["manager_id"] == manager_id:
        return
    starts_on = manager_start(row, today)
    if row.ends_on is not None and row.ends_on < starts_on:
        return  # the employment is over before line management from the file would start
    if current is not None:
        current["ends_on"] = max(day_before(starts_on), current["starts_on"])
        writer.update(line_managers, current["id"], {"ends_on": current["ends_on"]}, "line_managers_ended")
        writer.line_event("identity.line_manager.ended", current, school_id)
    values = writer.add(line_managers, {"id": new_id(), "trust_id": writer.trust_id, "person_id": person_id,
                                        "manager_id": manager_id, "school_id": school_id, "starts_on": starts_on,
                                        "ends_on": None}, "line_managers_assigned")
    state.managers[(person_id, school_id)] = values
    state.add_line(values)
    writer.line_event("identity.line_manager.assigned", values, school_id)


def run_import(uow: UnitOfWork, data: bytes, *, trust_id: str, actor_id: str | None = None, dry_run: bool = False,
               progress: Progress | None = None, today: date | None = None) -> ImportReport:
    """Check the whole file; if every row is good and this is not a dry run, apply it. The caller
    commits (a request does so when the answer is a success)."""
    today = today or date.today()
    parsed = parse(data)
    report = ImportReport(rows=len(parsed.rows) + len({p.line for p in parsed.problems if p.line > 1}))
    report.problems.extend(parsed.problems)
    if parsed.problems and not parsed.rows:
        return report
    state = load_trust_state(uow.session, trust_id, today)
    plan = check(parsed.rows, state)
    report.problems.extend(plan.problems)
    if report.problems:
        return report
    _apply(uow, state, plan.rows, trust_id, actor_id, report, today, progress, dry_run)
    if dry_run:
        uow.rollback()  # the few in-place updates are undone; inserts were never written
        return report
    audit(uow, trust_id=trust_id, action="import.applied", actor_id=actor_id, rows=report.rows, **report.changes)
    report.applied = True
    return report

"""The directory projection: handlers that keep the ``dir_*`` tables from identity's events, and
the ``Directory`` the permission checks read.

A service that needs the directory calls ``subscribe_directory(subscriptions)`` in its
subscriptions factory and builds ``ProjectedDirectory(session)`` where it checks permissions.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Period
from canopy_kit.db.rows import running_on
from canopy_kit.db.tables import (
    dir_employments, dir_group_schools, dir_line_managers, dir_people, dir_role_grants, dir_schools,
)
from canopy_kit.events.subscriptions import ReceivedEvent, Subscriptions

# event type -> (table, primary key column, payload key of the id, payload keys copied)
_UPSERTS: dict[str, tuple[Table, str, tuple[str, ...]]] = {
    "identity.school.added": (dir_schools, "school_id", ("name", "phase", "status")),
    "identity.school.updated": (dir_schools, "school_id", ("name", "phase", "status")),
    "identity.person.registered": (dir_people, "person_id",
                                   ("given_name", "family_name", "preferred_name", "email", "status")),
    "identity.person.updated": (dir_people, "person_id",
                                ("given_name", "family_name", "preferred_name", "email", "status")),
    "identity.employment.started": (dir_employments, "employment_id",
                                    ("person_id", "school_id", "job_title", "staff_category", "fte", "starts_on",
                                     "ends_on")),
    "identity.employment.updated": (dir_employments, "employment_id",
                                    ("person_id", "school_id", "job_title", "staff_category", "fte", "starts_on",
                                     "ends_on")),
    "identity.employment.ended": (dir_employments, "employment_id",
                                  ("person_id", "school_id", "job_title", "staff_category", "fte", "starts_on",
                                   "ends_on")),
    "identity.role.granted": (dir_role_grants, "grant_id",
                              ("person_id", "role", "scope_type", "scope_id", "valid_from", "valid_to")),
    "identity.role.revoked": (dir_role_grants, "grant_id",
                              ("person_id", "role", "scope_type", "scope_id", "valid_from", "valid_to")),
    "identity.line_manager.assigned": (dir_line_managers, "assignment_id",
                                       ("person_id", "manager_id", "school_id", "starts_on", "ends_on")),
    "identity.line_manager.ended": (dir_line_managers, "assignment_id",
                                    ("person_id", "manager_id", "school_id", "starts_on", "ends_on")),
}


_SHARED = "canopy.projected_directory"  # where a session keeps its ProjectedDirectory


def _text(value: Any) -> Any:
    return str(value) if hasattr(value, "hex") else value  # UUIDs as strings, like identity's ids


def upsert_if_newer(session: Session, table: Table, key: str, values: dict[str, Any] | list[dict[str, Any]]) -> None:
    """Insert, or update only if this event is at least as new as what wrote the row. Given a
    list, one statement writes them all (each key at most once: see ``_newest_per_key``)."""
    rows = values if isinstance(values, list) else [values]
    session.info.pop(_SHARED, None)  # what it remembered may be what this changes
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    changes = {name: statement.excluded[name] for name in rows[0] if name != key}
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c[key]], set_=changes, where=table.c.updated_at <= statement.excluded.updated_at),
        rows)


def _newest_per_key(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    # One statement may not update a row twice; the newest event for a key is the one that counts.
    newest: dict[Any, dict[str, Any]] = {}
    for row in rows:
        if row[key] not in newest or newest[row[key]]["updated_at"] <= row["updated_at"]:
            newest[row[key]] = row
    return list(newest.values())


def _upsert_handler(table: Table, key: str, fields: tuple[str, ...]):
    def handle(uow, events: list[ReceivedEvent]) -> None:
        rows = [{**{name: _text(event.data[name]) for name in (key, *fields)}, "trust_id": event.trust_id,
                 "updated_at": datetime.fromisoformat(event.envelope.occurred_at)} for event in events]
        upsert_if_newer(uow.session, table, key, _newest_per_key(rows, key))

    return handle


def _group_handler(uow, event: ReceivedEvent) -> None:
    uow.session.info.pop(_SHARED, None)
    group_id = str(event.data["group_id"])
    uow.session.execute(delete(dir_group_schools).where(dir_group_schools.c.group_id == group_id))
    rows = [{"group_id": group_id, "school_id": str(s), "trust_id": event.trust_id} for s in event.data["school_ids"]]
    if rows:
        uow.session.execute(insert(dir_group_schools), rows)


def subscribe_directory(subscriptions: Subscriptions) -> Subscriptions:
    for event_type, (table, key, fields) in _UPSERTS.items():
        subscriptions.on_many(event_type)(_upsert_handler(table, key, fields))
    subscriptions.on("identity.group.created")(_group_handler)
    subscriptions.on("identity.group.updated")(_group_handler)
    return subscriptions


def people_without_a_place(session: Session, trust_id: str) -> tuple[int, int]:
    """``(people of the trust with neither an employment nor a role yet, people of the trust)``.

    Identity publishes a person before their employments and roles, and another service's demo
    must not run on a directory half delivered: it waits until the first number is 0."""
    placed = (select(dir_employments.c.person_id).where(dir_employments.c.trust_id == trust_id)
              .union(select(dir_role_grants.c.person_id).where(dir_role_grants.c.trust_id == trust_id)))
    people = select(dir_people.c.person_id).where(dir_people.c.trust_id == trust_id)
    total = session.execute(select(func.count()).select_from(people.subquery())).scalar_one()
    waiting = session.execute(select(func.count()).select_from(
        people.where(dir_people.c.person_id.not_in(placed)).subquery())).scalar_one()
    return waiting, total


@cache
def _person_query() -> Select:
    # Built at its first use and kept: it runs on nearly every request (see ``row_in_trust``).
    return (select(dir_people.c.trust_id, dir_people.c.status, dir_employments.c.school_id,
                   dir_employments.c.starts_on, dir_employments.c.ends_on)
            .select_from(dir_people.outerjoin(dir_employments, dir_employments.c.person_id == dir_people.c.person_id))
            .where(dir_people.c.person_id == bindparam("person_id")).order_by(dir_employments.c.starts_on))


class ProjectedDirectory:
    """``canopy_kit.auth.permissions.Directory`` over the projection tables."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[str, tuple[str, str] | None] = {}  # person -> (trust, status); None: unknown
        self._periods: dict[str, list[Period]] = {}

    @classmethod
    def of(cls, session: Session) -> "ProjectedDirectory":
        """The one directory of this session's work (a request, a consumer batch), so that what a
        permission check looked up also serves the handler after it. The projection's own writers
        forget it whenever they change a row."""
        shared = session.info.get(_SHARED)
        if shared is None:
            shared = session.info[_SHARED] = cls(session)
        return shared

    def _person(self, person_id: str) -> tuple[str, str] | None:
        # Authentication asks whether the caller's account is disabled, a permission check asks for
        # a person's trust and often their employments next: one query answers all three, kept
        # for the session's work, so a caller reading their own records costs one lookup in all.
        if person_id not in self._people:
            rows = self.session.execute(_person_query(), {"person_id": person_id}).all()
            self._people[person_id] = (rows[0].trust_id, rows[0].status) if rows else None
            if rows:
                self._periods[person_id] = [Period(r.school_id, r.starts_on, r.ends_on) for r in rows
                                            if r.school_id is not None]
        return self._people[person_id]

    def trust_of(self, person_id: str) -> str | None:
        person = self._person(person_id)
        return person[0] if person else None

    def account_disabled(self, person_id: str) -> bool:
        # Someone the projection has not heard of yet (identity's events still on their way) is
        # not refused here; what they may see is then decided by the checks, which find nobody.
        person = self._person(person_id)
        return person is not None and person[1] == "disabled"

    def employment_periods(self, person_id: str) -> list[Period]:
        if person_id in self._periods:
            return list(self._periods[person_id])
        rows = self.session.execute(
            select(dir_employments.c.school_id, dir_employments.c.starts_on, dir_employments.c.ends_on)
            .where(dir_employments.c.person_id == person_id).order_by(dir_employments.c.starts_on)).all()
        return [Period(r.school_id, r.starts_on, r.ends_on) for r in rows]

    def managed_at(self, manager_id: str, person_id: str, on: date) -> set[str]:
        rows = self.session.execute(
            select(dir_line_managers.c.school_id)
            .where(dir_line_managers.c.manager_id == manager_id, dir_line_managers.c.person_id == person_id,
                   running_on(dir_line_managers.c.starts_on, dir_line_managers.c.ends_on, on))).scalars()
        return set(rows)

    def group_schools(self, group_id: str) -> set[str]:
        return set(self.session.execute(
            select(dir_group_schools.c.school_id).where(dir_group_schools.c.group_id == group_id)).scalars())

    def works_at(self, person_id: str, on: date) -> set[str]:
        """Schools where the person has an employment on that day."""
        return {p.school_id for p in self.employment_periods(person_id) if p.contains(on)}

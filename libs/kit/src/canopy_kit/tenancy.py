"""Where each kind of id lives, so that every id in a request is looked up inside the caller's trust.

A kind is a table (or several) whose rows name their trust. ``ServiceSpec.id_kinds`` adds a
service's own kinds (a template version, a CPD request...) to the directory kinds every service has
from its projection (person, school, group, employment); identity names its own tables for those.
The web layer (``canopy_kit.web.ids``) turns a kind into request fields that answer 404 for an id
of another trust.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from canopy_kit.db.tables import dir_employments, dir_group_schools, dir_people, dir_schools


class Kind(Protocol):
    label: str  # what an error calls it: "no such <label> in your trust"

    def found(self, session: Session, trust_id: str, ids: set[str]) -> set[str]:
        """Those of ``ids`` that are this trust's."""
        ...

    def elsewhere(self, session: Session, trust_id: str) -> str | None:
        """One id of this kind that belongs to another trust (what the tenancy tests send)."""
        ...


@dataclass(frozen=True)
class IdKind:
    """Ids kept in one column of a table that names each row's trust."""

    table: Table
    label: str
    column: str = "id"

    def found(self, session: Session, trust_id: str, ids: set[str]) -> set[str]:
        column = self.table.c[self.column]
        return set(session.execute(select(column).where(column.in_(sorted(ids)),
                                                        self.table.c.trust_id == trust_id)).scalars())

    def elsewhere(self, session: Session, trust_id: str) -> str | None:
        column = self.table.c[self.column]
        return session.execute(select(column).where(self.table.c.trust_id != trust_id)
                               .order_by(column).limit(1)).scalar()


@dataclass(frozen=True)
class AnyOf:
    """Ids of any of several kinds (a role grant's scope: a school or a group), and the trust's own
    id if ``trust_itself``."""

    label: str
    kinds: tuple[Kind, ...]
    trust_itself: bool = False

    def found(self, session: Session, trust_id: str, ids: set[str]) -> set[str]:
        found = ids & {trust_id} if self.trust_itself else set()
        for kind in self.kinds:
            found |= kind.found(session, trust_id, ids - found)
        return found

    def elsewhere(self, session: Session, trust_id: str) -> str | None:
        return self.kinds[0].elsewhere(session, trust_id)


def directory_kinds() -> dict[str, Kind]:
    """The kinds every service knows from its directory projection."""
    return {"person": IdKind(dir_people, "person", "person_id"), "school": IdKind(dir_schools, "school", "school_id"),
            "group": IdKind(dir_group_schools, "group of schools", "group_id"),
            "employment": IdKind(dir_employments, "employment", "employment_id")}

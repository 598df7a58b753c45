"""Small things every service's commands need: ids, the clock, and a lookup that keeps tenancy."""
from __future__ import annotations

from functools import cache

from sqlalchemy import Select, Table, and_, bindparam, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.clock import now  # noqa: F401  (commands take the clock and ids from here too)
from canopy_kit.errors import NotFound
from canopy_kit.identifiers import new_id  # noqa: F401


@cache
def _in_trust_query(table: Table, lock: bool) -> Select:
    # Built once per table (at its first use) with bound parameters: building a select costs
    # more than SQLAlchemy's cached compilation of it, on every read of every service.
    query = select(table).where(table.c.id == bindparam("row_id"), table.c.trust_id == bindparam("trust_id"))
    return query.with_for_update() if lock else query


def row_in_trust(session: Session, table: Table, row_id: str, trust_id: str, what: str, *,
                 lock: bool = False) -> Row:
    """This trust's row, or ``NotFound``: another trust's id does not exist for the caller."""
    row = session.execute(_in_trust_query(table, lock), {"row_id": row_id, "trust_id": trust_id}).first()
    if row is None:
        raise NotFound(f"no such {what}")
    return row


def running_on(starts, ends, day):
    """SQL: the period in columns ``starts``/``ends`` includes ``day`` (a date or a column); an
    open end runs for ever (``canopy_kit.clock.runs_on`` in Python)."""
    return and_(starts <= day, or_(ends.is_(None), ends >= day))

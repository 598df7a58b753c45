"""Small things every service's commands need: ids, the clock, and a lookup that keeps tenancy."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import Table, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.web.errors import ApiError


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


def row_in_trust(session: Session, table: Table, row_id: str, trust_id: str, what: str, *,
                 lock: bool = False) -> Row:
    """This trust's row, or a 404: another trust's id does not exist for the caller."""
    query = select(table).where(table.c.id == row_id, table.c.trust_id == trust_id)
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise ApiError(404, f"no such {what}")
    return row

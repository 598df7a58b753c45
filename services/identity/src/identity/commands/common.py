"""What identity's commands share: the audit log, and the payloads of the events they publish."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row

from canopy_kit.db.rows import new_id, now
from canopy_kit.db.uow import UnitOfWork
from identity.tables import audit_log


def person_payload(row) -> dict[str, Any]:
    return {"person_id": row.id, "given_name": row.given_name, "family_name": row.family_name,
            "preferred_name": row.preferred_name, "email": row.email, "status": row.status}


def school_payload(row) -> dict[str, Any]:
    return {"school_id": row.id, "name": row.name, "phase": row.phase, "urn": row.urn, "status": row.status}


def employment_payload(row) -> dict[str, Any]:
    return {"employment_id": row.id, "person_id": row.person_id, "school_id": row.school_id,
            "job_title": row.job_title, "staff_category": row.staff_category, "fte": row.fte,
            "starts_on": row.starts_on, "ends_on": row.ends_on}


def grant_payload(row) -> dict[str, Any]:
    return {"grant_id": row.id, "person_id": row.person_id, "role": row.role, "scope_type": row.scope_type,
            "scope_id": row.scope_id, "valid_from": row.valid_from, "valid_to": row.valid_to}


def line_payload(row) -> dict[str, Any]:
    return {"assignment_id": row.id, "person_id": row.person_id, "manager_id": row.manager_id,
            "school_id": row.school_id, "starts_on": row.starts_on, "ends_on": row.ends_on}


def taken(uow: UnitOfWork, table, trust_id: str, column: str, value: str, except_id: str | None = None) -> bool:
    """Does another row of the trust (than ``except_id``) already hold ``value`` in ``column``? The
    unique constraints hold when two requests race; asking first lets the refusal name the field."""
    query = select(table.c.id).where(table.c.trust_id == trust_id, table.c[column] == value)
    if except_id:
        query = query.where(table.c.id != except_id)
    return uow.session.execute(query).first() is not None


def reload(uow: UnitOfWork, table, row_id: str) -> Row:
    """The row as this transaction left it: what its event says."""
    return uow.session.execute(select(table).where(table.c.id == row_id)).one()


def audit(uow: UnitOfWork, *, trust_id: str | None, action: str, actor_id: str | None = None,
          subject_id: str | None = None, client: str | None = None, **details: Any) -> None:
    """A security-relevant action, recorded in the same transaction as the action itself."""
    uow.session.execute(audit_log.insert().values(
        id=new_id(), trust_id=trust_id, at=now(), actor_id=actor_id, action=action, subject_id=subject_id,
        client=client, details=json.dumps(details, default=str, sort_keys=True)))


__all__ = ["audit", "employment_payload", "grant_payload", "line_payload", "new_id", "now", "person_payload",
           "reload", "school_payload", "taken"]

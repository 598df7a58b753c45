"""Role grants: which role may be held at which scope, over which dates, and who hands it out."""
from __future__ import annotations

from datetime import date

from canopy_contracts.events.identity import ROLES, SCOPE_TYPES
from canopy_kit.errors import Conflict, Invalid

TRUST_ONLY_ROLES = frozenset({"trust_admin", "trust_leader"})
# Roles that see or act beyond one school: only a trust admin grants them, never a school's own
# admins, and never a staff file.
TRUST_ADMIN_GRANTS = TRUST_ONLY_ROLES | {"headteacher"}
SCHOOL_GRANTED_ROLES = tuple(role for role in ROLES if role not in TRUST_ADMIN_GRANTS)


def check_scope(*, trust_id: str, role: str, scope_type: str, scope_id: str) -> None:
    """May ``role`` be held at this scope of the trust? (That a school or group scope is the
    trust's own is the database's to say.)"""
    if role not in ROLES:
        raise Invalid.on("role", f"must be one of: {', '.join(ROLES)}")
    if scope_type not in SCOPE_TYPES:
        raise Invalid.on("scope_type", f"must be one of: {', '.join(SCOPE_TYPES)}")
    if role in TRUST_ONLY_ROLES and scope_type != "trust":
        raise Invalid.on("scope_type", f"{role} is granted at trust scope only")
    if scope_type == "trust" and scope_id != trust_id:
        raise Invalid.on("scope_id", "must be the trust's id for a trust-scope grant")


def check_new_grant(*, valid_from: date, valid_to: date | None, already_held: bool) -> None:
    """``already_held``: the person holds the role at the scope on some day of the period."""
    if valid_to is not None and valid_to < valid_from:
        raise Invalid.on("valid_to", "must not be before valid_from")
    if already_held:
        raise Conflict.on("role", "the person already holds this role at this scope for part of that period")


def check_end(*, valid_from: date, valid_to: date | None, ends_on: date) -> None:
    if ends_on < valid_from:
        raise Invalid.on("valid_to", "must not be before the grant started")
    if valid_to is not None and valid_to <= ends_on:
        raise Conflict.on("valid_to", f"the grant already ended on {valid_to.isoformat()}")


def granted_by_the_school(role: str, scope_type: str) -> bool:
    """Is this a grant a school's own role managers may make (at their school), rather than one
    only a trust admin makes?"""
    return scope_type == "school" and role not in TRUST_ADMIN_GRANTS

"""Which schools' figures the caller may read: trust leaders and trust admins every school and the
trust as a whole (``reports.trust``); a school's headteacher, senior leaders and CPD lead their own
school (``reports.school``). Filters narrow that further, never widen it
(``reporting.domain.scope``); tenancy is absolute."""
from __future__ import annotations

from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Permissions
from canopy_kit.errors import Forbidden
from reporting import queries
from reporting.domain.scope import Scope, narrow


def report_scope(permissions: Permissions, session: Session, school_id: str | None, phase: str | None) -> Scope:
    """What the caller's report shows, filtered to ``school_id`` or ``phase`` if given."""
    whole_trust = permissions.schools_for("reports.trust") is None
    readable = None if whole_trust else permissions.schools_for("reports.school")
    if readable is not None and not readable:
        raise Forbidden("reports are for trust leaders and for school leaders and CPD leads")
    trust_id = permissions.principal.trust_id
    return narrow(trust_id, queries.trust_schools(session, trust_id), readable, whole_trust=whole_trust,
                  school_id=school_id, phase=phase)

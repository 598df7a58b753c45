"""What the trust holds now, read once for the import's checks (``domain.staff_import``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from identity.domain.line_management import TRUST_MANAGERS
from identity.domain.periods import running_on
from identity.domain.staff_import import TrustState
from identity.tables import employments, line_managers, people, role_grants, schools


def load_trust_state(session: Session, trust_id: str, today: date) -> TrustState:
    """A few queries, whatever the size of the file to check against it."""
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
    state = TrustState(
        schools_by_urn={r["urn"]: (r["id"], r["status"]) for r in school_rows if len(named.get(r["urn"], ())) == 1},
        people_by_email={r["email"]: r for r in rows(select(people).where(people.c.trust_id == trust_id))},
        employments={(r["person_id"], r["school_id"], r["starts_on"]): r for r in employment_rows},
        grants={(r["person_id"], r["role"], r["scope_id"]) for r in grant_rows},
        managers={(r["person_id"], r["school_id"]): r for r in manager_rows},
        employed_at={(r["person_id"], r["school_id"]) for r in employment_rows
                     if running_on(r["starts_on"], r["ends_on"], today)},
        trust_managers={r["person_id"] for r in grant_rows
                        if r["scope_type"] == "trust" and r["role"] in TRUST_MANAGERS},
        shared_urns={urn: names for urn, names in named.items() if len(names) > 1},
    )
    for row in employment_rows:
        state.add_job(row)
    for row in line_rows:
        state.add_line(row)
    return state

"""The coaching view's reads: each person's ratings per principle from reportable, shared records
of the window (the rules over them are ``observation.domain.coaching``), and the recorded pairs."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from observation.domain import coaching
from observation.domain.records import DRAFT, REPORTABLE
from observation.queries.frameworks import principle_titles
from observation.tables import coaching_pairs, record_ratings, records


def person_ratings(session: Session, trust_id: str, since: date) -> list:
    """(principle, person, school, mean score, ratings) from reportable, shared records: the whole
    trust, since suppression is decided over all of it whichever school is asked for."""
    query = (select(record_ratings.c.principle_id, records.c.observee_id, records.c.school_id,
                    func.avg(record_ratings.c.normalised).label("score"), func.count().label("n"))
             .join(records, records.c.id == record_ratings.c.record_id)
             .where(record_ratings.c.trust_id == trust_id, records.c.privacy == REPORTABLE,
                    records.c.status != DRAFT, records.c.observed_on >= since,
                    record_ratings.c.principle_id.is_not(None))
             .group_by(record_ratings.c.principle_id, records.c.observee_id, records.c.school_id))
    return session.execute(query).all()


def coaching_view(session: Session, *, trust_id: str, school_id: str | None, since: date,
                  min_group_size: int) -> list[dict[str, Any]]:
    return coaching.view(person_ratings(session, trust_id, since), principle_titles(session, trust_id),
                         school_id=school_id, min_group_size=min_group_size)


def pairs_query(trust_id: str, schools: set[str] | None) -> Select:
    """Recorded pairs of the trust (at ``schools``, if not None), newest first: to be paged."""
    query = select(coaching_pairs).where(coaching_pairs.c.trust_id == trust_id)
    if schools is not None:
        query = query.where(coaching_pairs.c.school_id.in_(schools))
    return query.order_by(coaching_pairs.c.created_at.desc())

"""Coaching pairs, as recorded by a school's leaders or the trust's (the suggestions they start
from are a read: ``observation.queries.coaching``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert

from canopy_kit.db.rows import new_id, now
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import NotFound
from observation import queries
from observation.domain.coaching import check_pair
from observation.tables import coaching_pairs


def record_pair(uow: UnitOfWork, *, trust_id: str, principle_id: str, coach_id: str, coachee_id: str,
                school_id: str | None, starts_on: date, actor_id: str) -> str:
    check_pair(coach_id, coachee_id)
    if principle_id not in queries.principle_titles(uow.session, trust_id):
        raise NotFound.on("principle_id", "no such principle in the trust's frameworks")
    pair_id = new_id()
    uow.session.execute(insert(coaching_pairs).values(
        id=pair_id, trust_id=trust_id, principle_id=principle_id, coach_id=coach_id, coachee_id=coachee_id,
        school_id=school_id, starts_on=starts_on, created_by=actor_id, created_at=now()))
    uow.publish("observation.coaching_pair.recorded", {
        "pair_id": pair_id, "principle_id": principle_id, "coach_id": coach_id, "coachee_id": coachee_id,
        "school_id": school_id, "starts_on": starts_on}, trust_id=trust_id, school_id=school_id, actor_id=actor_id)
    return pair_id

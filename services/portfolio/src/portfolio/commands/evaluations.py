"""Impact evaluation in layers: straight after (reaction, learning), then a follow-up weeks later
(use in practice, pupil outcomes). Each is submitted once, by the person."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from portfolio.tables import activities, evaluations
from portfolio.commands.common import get_row, now

REQUIRED = {"immediate": ("reaction", "learning"), "follow_up": ("use_in_practice",)}
RATINGS = ("reaction", "learning", "use_in_practice", "pupil_outcomes")


def submit(uow: UnitOfWork, *, trust_id: str, person_id: str, evaluation_id: str, answers: dict) -> None:
    row = get_row(uow.session, evaluations, evaluation_id, trust_id, "evaluation", lock=True)
    if row.person_id != person_id:
        raise ApiError(403, "only the person evaluates their own learning")
    for name in REQUIRED[row.stage]:
        if answers.get(name) is None:
            raise field_error(name, f"is required for the {row.stage.replace('_', '-')} evaluation")
    changed = uow.session.execute(update(evaluations).where(
        evaluations.c.id == evaluation_id, evaluations.c.submitted_at.is_(None)).values(
        submitted_at=now(), comments=answers.get("comments"), **{k: answers.get(k) for k in RATINGS})).rowcount
    if changed == 0:
        raise ApiError(409, "this evaluation was already submitted")
    school_id = uow.session.execute(select(activities.c.school_id).where(activities.c.id == row.activity_id)).scalar()
    uow.publish("portfolio.evaluation.submitted", {
        "evaluation_id": row.id, "activity_id": row.activity_id, "person_id": person_id, "school_id": school_id,
        "stage": row.stage, **{k: answers.get(k) for k in RATINGS}, "submitted_on": date.today()},
        trust_id=trust_id, school_id=school_id, actor_id=person_id)

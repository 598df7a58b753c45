"""Submitting an impact evaluation (the rules: ``portfolio.domain.evaluations``)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from canopy_kit.db.rows import now, row_in_trust
from canopy_kit.db.uow import UnitOfWork
from portfolio.domain.evaluations import RATINGS, Evaluation, already_submitted, check_submission
from portfolio.tables import activities, evaluations


def submit(uow: UnitOfWork, *, trust_id: str, person_id: str, evaluation_id: str, answers: dict) -> None:
    row = row_in_trust(uow.session, evaluations, evaluation_id, trust_id, "evaluation", lock=True)
    check_submission(Evaluation(row.person_id, row.stage, row.submitted_at is not None), person_id, answers)
    # The condition, not the check above, decides between two submissions at once.
    changed = uow.session.execute(update(evaluations).where(
        evaluations.c.id == evaluation_id, evaluations.c.submitted_at.is_(None)).values(
        submitted_at=now(), comments=answers.get("comments"), **{k: answers.get(k) for k in RATINGS})).rowcount
    if changed == 0:
        raise already_submitted()
    school_id = uow.session.execute(select(activities.c.school_id).where(activities.c.id == row.activity_id)).scalar()
    uow.publish("portfolio.evaluation.submitted", {
        "evaluation_id": row.id, "activity_id": row.activity_id, "person_id": person_id, "school_id": school_id,
        "stage": row.stage, **{k: answers.get(k) for k in RATINGS}, "submitted_on": date.today()},
        trust_id=trust_id, school_id=school_id, actor_id=person_id)

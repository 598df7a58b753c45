"""Impact evaluation in two layers: straight after the activity (reaction, learning), then a
follow-up some weeks later (use in practice, pupil outcomes where known). Each is the person's own,
and is submitted once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from canopy_kit.errors import Conflict, Forbidden, Invalid

RATINGS = ("reaction", "learning", "use_in_practice", "pupil_outcomes")
REQUIRED = {"immediate": ("reaction", "learning"), "follow_up": ("use_in_practice",)}


@dataclass(frozen=True)
class Evaluation:
    person_id: str
    stage: str  # immediate | follow_up
    submitted: bool


def due_dates(ends_on: date, follow_up_weeks: int) -> dict[str, date]:
    """When each stage falls due: the activity's last day, and ``follow_up_weeks`` after it."""
    return {"immediate": ends_on, "follow_up": ends_on + timedelta(weeks=follow_up_weeks)}


def required_ratings(stage: str) -> tuple[str, ...]:
    return REQUIRED[stage]


def check_submission(evaluation: Evaluation, person_id: str, answers: Mapping[str, object]) -> None:
    """Only the person submits their evaluation, with the ratings its stage requires, and once."""
    if evaluation.person_id != person_id:
        raise Forbidden("only the person evaluates their own learning")
    for name in required_ratings(evaluation.stage):
        if answers.get(name) is None:
            raise Invalid.on(name, f"is required for the {evaluation.stage.replace('_', '-')} evaluation")
    if evaluation.submitted:
        raise already_submitted()


def already_submitted() -> Conflict:
    return Conflict("this evaluation was already submitted")

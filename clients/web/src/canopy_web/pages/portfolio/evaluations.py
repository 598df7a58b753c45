"""Impact evaluations: the layered questions, the ones due, and answering one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import LARGEST_PAGE
from canopy_web.pages.portfolio.helpers import SERVICE, STAGE_LABELS
from canopy_web.school_years import as_day
from canopy_web.views import notify, page


@dataclass(frozen=True)
class Question:
    """One layer of the impact evaluation: a rating 1-5 the API names ``name``; ``low`` and
    ``high`` say what 1 and 5 mean."""
    name: str
    question: str
    low: str
    high: str
    required: bool


# The layered evaluation as portfolio defines it: reaction and learning straight after the
# activity, use in practice (and pupil outcomes where known) at the follow-up.
QUESTIONS = {
    "immediate": (
        Question("reaction", "How worthwhile was it?", "not at all", "very", True),
        Question("learning", "How much did you learn?", "nothing new", "a great deal", True),
    ),
    "follow_up": (
        Question("use_in_practice", "How much have you used it in your practice?", "not yet", "every day", True),
        Question("pupil_outcomes", "What difference has it made to pupils' outcomes?", "none seen", "a clear one",
                 False),
    ),
}


def evaluation_body(form, stage: str) -> dict[str, Any]:
    """The ratings of the stage's layers (a blank one sent as null, for the API to judge) and
    the comments."""
    body: dict[str, Any] = {}
    for question in QUESTIONS.get(stage, ()):
        value = form.get(question.name, "").strip()
        body[question.name] = int(value) if value.isdigit() else (value or None)
    comments = form.get("comments", "").strip()
    body["comments"] = comments or None
    return body


def evaluation_state(evaluation: Mapping[str, Any], today: date) -> str:
    """``submitted``, ``due`` (today or earlier) or ``later``."""
    if evaluation.get("submitted_at"):
        return "submitted"
    due_on = as_day(evaluation.get("due_on"))
    return "due" if due_on is not None and due_on <= today else "later"


def _due() -> dict[str, Any]:
    return auth.get(SERVICE, "/v1/me/evaluations/due", params={"page_size": LARGEST_PAGE})


def add_routes(blp: Blueprint) -> None:
    @blp.route("/evaluations/<evaluation_id>", methods=["GET", "POST"])
    @auth.signed_in
    def evaluate(evaluation_id):
        due = next((item for item in _due()["items"] if item["id"] == evaluation_id), None)
        if due is None:
            return page("portfolio/evaluation_gone.html", status=404)
        if request.method == "GET":
            return _evaluation_form(due)
        try:
            auth.call("POST", SERVICE, f"/v1/evaluations/{evaluation_id}",
                      json=evaluation_body(request.form, due["stage"]))
        except ApiError as error:
            if not error.is_refusal:
                raise
            if error.status == 409:  # submitted meanwhile (another tab): nothing is left to do
                notify(f"Your evaluation of “{due['activity_title']}” was already submitted.")
                return redirect(url_for("portfolio.mine", _anchor="due"), code=303)
            return _evaluation_form(due, error=error)
        notify(f"Thank you: your evaluation of “{due['activity_title']}” is saved.")
        return redirect(url_for("portfolio.mine", _anchor="due"), code=303)


def _evaluation_form(due: Mapping[str, Any], error: ApiError | None = None):
    return page("portfolio/evaluate.html", error=error, due=due, questions=QUESTIONS.get(due["stage"], ()),
                stages=STAGE_LABELS)

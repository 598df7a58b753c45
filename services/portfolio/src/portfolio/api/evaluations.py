"""Impact evaluations: what is due, and submitting one."""
from __future__ import annotations

from datetime import date

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from portfolio import queries
from portfolio.commands import evaluations as commands

Rating = lambda: fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=5))  # noqa


class EvaluationInSchema(Schema):
    reaction = Rating()
    learning = Rating()
    use_in_practice = Rating()
    pupil_outcomes = Rating()
    comments = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class DueEvaluationSchema(Schema):
    id = fields.String(required=True)
    activity_id = fields.String(required=True)
    activity_title = fields.String(required=True)
    stage = fields.String(required=True)
    due_on = fields.Date(required=True)


def blueprint() -> Blueprint:
    blp = Blueprint("evaluations", __name__, url_prefix="/v1", description="Impact evaluation")

    @blp.route("/me/evaluations/due", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(DueEvaluationSchema))
    def due(args):
        """The caller's evaluations due by today and not yet submitted (follow-ups included)."""
        query = queries.due_evaluations(current_principal().person_id, date.today())
        return paginate(current_uow().session, query, args, scalars=False)

    @blp.route("/evaluations/<evaluation_id>", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EvaluationInSchema)
    @blp.response(204)
    @error_responses(blp, 403, 404, (409, "Already submitted"))
    def submit(body, evaluation_id):
        """Ratings 1-5: reaction and learning straight after; use in practice (and pupil outcomes
        where known) at the follow-up."""
        principal = current_principal()
        commands.submit(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                        evaluation_id=evaluation_id, answers=body)

    return blp

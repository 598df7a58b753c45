"""CPD requests: asked by the person, decided by the school's CPD lead, one or many at once."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from canopy_contracts.events.portfolio import ACTIVITY_TYPES, DECISIONS
from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.ids import TrustId
from canopy_kit.web.pagination import page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from portfolio import access
from portfolio.api.schemas import CreatedSchema, Hours, Money
from portfolio.tables import cpd_requests
from portfolio.commands.common import get_row
from portfolio.commands import requests as handlers


class RequestInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_type = fields.String(required=True, validate=validate.OneOf(ACTIVITY_TYPES))
    provider = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    school_id = TrustId("school", load_default=None, allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = Hours(required=True)
    cost = Money(required=True)
    cover_needed = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class RequestSchema(Schema):
    id = fields.String(required=True)
    person_id = fields.String(required=True)
    school_id = fields.String(required=True)
    title = fields.String(required=True)
    activity_type = fields.String(required=True)
    provider = fields.String(allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = Hours(required=True)
    cost = Money(required=True)
    cover_needed = fields.Boolean(required=True)
    reason = fields.String(required=True)
    status = fields.String(required=True)
    decided_by = fields.String(allow_none=True)
    decision_comment = fields.String(allow_none=True)
    activity_id = fields.String(allow_none=True)


class RequestQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(("pending", "approved", "declined", "withdrawn")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DecisionSchema(Schema):
    request_id = TrustId("cpd_request", required=True)
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DecisionsSchema(Schema):
    decisions = fields.List(fields.Nested(DecisionSchema), required=True, validate=validate.Length(min=1, max=500))


class DecisionResultSchema(Schema):
    request_id = fields.String(required=True)
    decision = fields.String(required=True)
    activity_id = fields.String(allow_none=True)


def blueprint() -> Blueprint:
    blp = Blueprint("cpd_requests", __name__, url_prefix="/v1/cpd-requests", description="CPD requests")

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(RequestInSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 404, 422)
    def submit(body):
        """Ask to attend an external activity; the school's CPD lead sees cost and cover."""
        principal = current_principal()
        return {"id": handlers.submit_request(current_uow(), trust_id=principal.trust_id,
                                              person_id=principal.person_id, fields=body)}

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(RequestQuerySchema, location="query")
    @blp.response(200, page_schema(RequestSchema))
    def list_requests(args):
        """The caller's own requests, and those of the schools whose requests they decide."""
        principal = current_principal()
        schools = access.request_schools(access.permissions())
        query = select(cpd_requests).where(cpd_requests.c.trust_id == principal.trust_id, or_(
            cpd_requests.c.person_id == principal.person_id, cpd_requests.c.school_id.in_(schools)))
        if args.get("status"):
            query = query.where(cpd_requests.c.status == args["status"])
        return paginate(current_uow().session, query.order_by(cpd_requests.c.created_at.desc(), cpd_requests.c.id),
                        args, scalars=False)

    @blp.route("/<id:request_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, RequestSchema)
    @error_responses(blp, 403, 404)
    def get_request(request_id):
        """One CPD request: for the person who made it, and for those who decide their school's."""
        row = get_row(current_uow().session, cpd_requests, request_id, current_principal().trust_id, "CPD request")
        if not access.may_see_request(access.permissions(), row._mapping):
            raise ApiError(403, "only the requester and their school's CPD lead or headteacher see a CPD request")
        return row._mapping

    @blp.route("/decisions", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(DecisionsSchema)
    @blp.response(200, DecisionResultSchema(many=True))
    @error_responses(blp, 403, 404, (409, "A request was already decided; none were applied"))
    def decide(body):
        """Approve or decline one or many requests at once: all are applied, or none."""
        principal = current_principal()
        return handlers.decide(current_uow(), trust_id=principal.trust_id, decider_id=principal.person_id,
                               decisions=body["decisions"], may_decide=access.require_decider,
                               follow_up_weeks=access.follow_up_weeks())

    @blp.route("/<request_id>/withdraw", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @error_responses(blp, 403, 404, 409)
    def withdraw(request_id):
        """Withdraw one's own request while it is still pending."""
        principal = current_principal()
        handlers.withdraw(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                          request_id=request_id)

    return blp

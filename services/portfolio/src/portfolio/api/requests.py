"""CPD requests: asked by the person, decided by the school's CPD lead, one or many at once."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_contracts.events.portfolio import ACTIVITY_TYPES, DECISIONS
from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.ids import TrustId
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from portfolio import queries
from portfolio.api import caller
from portfolio.api.schemas import Hours, Money
from portfolio.commands import requests as commands
from portfolio.domain.requests import STATUSES


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
    created_at = UtcDateTime(required=True, metadata={"description": "when it was asked"})


class RequestFilters(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class RequestQuerySchema(PageArgs, RequestFilters):
    """The filters and a page. Bases in this order list ``status`` first (marshmallow orders
    inherited fields from the last base), as the document always has."""


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
    @idempotent
    @blp.arguments(RequestInSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 404, 422)
    def submit(body):
        """Ask to attend an external activity; the school's CPD lead sees cost and cover."""
        principal = current_principal()
        return {"id": commands.submit_request(current_uow(), trust_id=principal.trust_id,
                                              person_id=principal.person_id, fields=body)}

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(RequestQuerySchema, location="query")
    @blp.response(200, page_schema(RequestSchema))
    def list_requests(args):
        """The caller's own requests, and those of the schools whose requests they decide."""
        return paginate(current_uow().session, queries.requests_seen_by(caller(), args.get("status")), args,
                        scalars=False)

    @blp.route("/<id:request_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, RequestSchema)
    @error_responses(blp, 403, 404)
    def get_request(request_id):
        """One CPD request: for the person who made it, and for those who decide their school's."""
        me = caller()
        row = queries.cpd_request(current_uow().session, me.trust_id, request_id)._mapping
        me.require_request(row)
        return row

    @blp.route("/decisions", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(DecisionsSchema)
    @blp.response(200, DecisionResultSchema(many=True))
    @error_responses(blp, 403, 404, (409, "A request was already decided; none were applied"))
    def decide(body):
        """Approve or decline one or many requests at once: all are applied, or none."""
        me = caller()
        return commands.decide(current_uow(), trust_id=me.trust_id, decider_id=me.person_id,
                               decider_roles=me.roles(), decisions=body["decisions"])

    @blp.route("/<request_id>/withdraw", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @error_responses(blp, 403, 404, 409)
    def withdraw(request_id):
        """Withdraw one's own request while it is still pending."""
        principal = current_principal()
        commands.withdraw(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                          request_id=request_id)

    return blp

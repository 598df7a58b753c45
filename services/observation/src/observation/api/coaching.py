"""Coaching: per principle, where there is strength and who would benefit from development, from
reportable records only, small groups suppressed; suggested pairs; recorded pairs."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from observation import handlers
from observation.access import access
from observation.api.schemas import CoachingPairInSchema, CoachingPairSchema, CoachingQuerySchema, CoachingViewSchema
from observation.db import coaching_pairs


def blueprint() -> Blueprint:
    blp = Blueprint("coaching", __name__, url_prefix="/v1/coaching", description="Coaching pairs per principle")

    @blp.route("/principles", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(CoachingQuerySchema, location="query")
    @blp.response(200, CoachingViewSchema)
    @error_responses(blp, 403, 404)
    def principles(args):
        """Per principle, for one school or the whole trust: strengths, development and suggested
        pairs (within a school first), from reportable records of the recent window only."""
        access().coaching_scope(args["school_id"])
        threshold = current_app.extensions["canopy"].settings.min_group_size
        view = handlers.coaching_view(current_uow(), trust_id=current_principal().trust_id,
                                      school_id=args["school_id"], since=date.today() - timedelta(days=args["days"]),
                                      min_group_size=threshold)
        return {"min_group_size": threshold, "principles": view}

    @blp.route("/pairs", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(CoachingPairSchema))
    @error_responses(blp, 403)
    def list_pairs(args):
        """Recorded coaching pairs: a school's for its leaders, all for trust leaders."""
        caller = access()
        schools = caller.coaching_pair_schools()
        query = select(coaching_pairs).where(coaching_pairs.c.trust_id == caller.principal.trust_id)
        if schools is not None:
            if not schools:
                raise ApiError(403, "coaching pairs are for school leaders and trust leaders")
            query = query.where(coaching_pairs.c.school_id.in_(schools))
        return paginate(current_uow().session, query.order_by(coaching_pairs.c.created_at.desc()), args, scalars=False)

    @blp.route("/pairs", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(CoachingPairInSchema)
    @blp.response(201, CoachingPairSchema)
    @error_responses(blp, 403, 404)
    def record_pair(body):
        """Pair a coach with a coachee on a principle."""
        caller = access()
        caller.coaching_scope(body["school_id"])
        starts_on = body["starts_on"] or date.today()
        pair_id = handlers.record_pair(current_uow(), trust_id=caller.principal.trust_id, actor_id=caller.me,
                                       **{**body, "starts_on": starts_on})
        return {**body, "starts_on": starts_on, "id": pair_id}

    return blp

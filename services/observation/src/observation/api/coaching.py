"""Coaching: per principle, where there is strength and who would benefit from development, from
reportable records only, small groups suppressed; suggested pairs; recorded pairs."""
from __future__ import annotations

from datetime import date, timedelta

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_settings, current_uow
from observation import commands, queries
from observation.api.caller import caller
from observation.api.schemas import CoachingPairInSchema, CoachingPairSchema, CoachingQuerySchema, CoachingViewSchema


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
        access = caller()
        access.coaching_scope(args["school_id"])
        threshold = current_settings().min_group_size
        view = queries.coaching_view(current_uow().session, trust_id=access.principal.trust_id,
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
        access = caller()
        query = queries.pairs_query(access.principal.trust_id, access.require_coaching_pairs())
        return paginate(current_uow().session, query, args, scalars=False)

    @blp.route("/pairs", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(CoachingPairInSchema)
    @blp.response(201, CoachingPairSchema)
    @error_responses(blp, 403, 404)
    def record_pair(body):
        """Pair a coach with a coachee on a principle."""
        access = caller()
        access.coaching_scope(body["school_id"])
        starts_on = body["starts_on"] or date.today()
        pair_id = commands.record_pair(current_uow(), trust_id=access.principal.trust_id, actor_id=access.me,
                                       **{**body, "starts_on": starts_on})
        return {**body, "starts_on": starts_on, "id": pair_id}

    return blp

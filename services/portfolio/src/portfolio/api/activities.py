"""A person's CPD activities: recorded by the person, assigned to many by the CPD team."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated
from canopy_kit.db.pages import paginate
from canopy_kit.web.access_log import record_read
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.ids import TrustIds
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedManySchema, CreatedSchema
from portfolio import queries
from portfolio.api import caller
from portfolio.api.schemas import ActivityInSchema, ActivitySchema, ActivityUpdateSchema
from portfolio.commands import activities as commands


class AssignmentSchema(ActivityInSchema):
    person_ids = TrustIds("person", min_items=1, max_items=2000, required=True)


def blueprint() -> Blueprint:
    blp = Blueprint("activities", __name__, url_prefix="/v1", description="CPD activities")
    documented = error_responses(blp, 403, 404)

    @blp.route("/people/<person_id>/activities", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(ActivitySchema))
    @documented
    def list_activities(args, person_id):
        """A person's activities, newest first: all of them for the person, and for others those
        dated while the person was where the permission matrix lets them look."""
        page = paginate(current_uow().session, queries.activities_of(caller(), person_id), args, scalars=False)
        record_read("portfolio.activity", [(a["id"], person_id) for a in page["items"]])
        return page

    @blp.route("/people/<person_id>/activities", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.arguments(ActivityInSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def record(body, person_id):
        """Record an activity in one's own portfolio (its evaluations are scheduled with it)."""
        me = caller()
        me.require_owner(person_id)
        [activity_id] = commands.record_activities(current_uow(), trust_id=me.trust_id, person_ids=[person_id],
                                                   fields=body, source="self", actor_id=me.person_id)
        return {"id": activity_id}

    @blp.route("/activities/<id:activity_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, ActivitySchema)
    @documented
    def get_activity(activity_id):
        """One activity, if the caller may read the person's record for its dates."""
        me = caller()
        row = queries.activity(current_uow().session, me.trust_id, activity_id)
        me.require_record(row.person_id, row.starts_on, "record")
        record_read("portfolio.activity", [(row.id, row.person_id)])
        return row._mapping

    @blp.route("/activities/<id:activity_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema)
    @documented
    def update_activity(body, activity_id):
        """Change one's own activity (add a reflection, correct hours)."""
        me, uow = caller(), current_uow()
        me.require_owner(queries.activity(uow.session, me.trust_id, activity_id).person_id)
        commands.update_activity(uow, trust_id=me.trust_id, activity_id=activity_id, changes=body,
                                 actor_id=me.person_id)
        return queries.activity(uow.session, me.trust_id, activity_id)._mapping

    @blp.route("/activities/assignments", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.arguments(AssignmentSchema)
    @blp.response(201, CreatedManySchema)
    @documented
    def assign(body):
        """"Flood fill": record one activity (an INSET day, a trust session) for many people at once."""
        me = caller()
        person_ids = list(dict.fromkeys(body.pop("person_ids")))
        me.require_may_assign(person_ids)
        ids = commands.record_activities(current_uow(), trust_id=me.trust_id, person_ids=person_ids,
                                         fields=body, source="assigned", actor_id=me.person_id)
        return {"ids": ids}

    return blp

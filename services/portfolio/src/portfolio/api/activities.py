"""A person's CPD activities: recorded by the person, assigned to many by the CPD team."""
from __future__ import annotations

from datetime import date

from flask_smorest import Blueprint
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.ids import TrustIds
from canopy_kit.web.pagination import page_schema, paginate
from canopy_kit.web.access_log import record_read
from canopy_kit.web.request_uow import current_uow
from portfolio import access
from portfolio.api.schemas import (
    ActivityInSchema, ActivitySchema, ActivityUpdateSchema, CreatedManySchema, CreatedSchema, ListArgs,
)
from portfolio.tables import activities
from portfolio.commands import activities as handlers
from portfolio.commands.common import get_row


class AssignmentSchema(ActivityInSchema):
    person_ids = TrustIds("person", min_items=1, max_items=2000, required=True)


def _require_may_assign(person_ids: list[str]) -> None:
    """The trust's CPD team for anyone (of the trust: ``AssignmentSchema`` looked them up); a
    school's CPD lead or head for their own school's staff."""
    principal, perms = current_principal(), access.permissions()
    if principal.has_role(access.PROGRAMME_RUNNERS):
        return
    schools = principal.schools_with(access.DECIDERS)
    missing = [p for p in person_ids if not perms.directory.works_at(p, date.today()) & schools]
    if missing:
        raise ApiError(403, "you may not assign learning to some of these people", errors={"person_ids": missing})


def blueprint() -> Blueprint:
    blp = Blueprint("activities", __name__, url_prefix="/v1", description="CPD activities")
    documented = error_responses(blp, 403, 404)

    @blp.route("/people/<person_id>/activities", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, page_schema(ActivitySchema))
    @documented
    def list_activities(args, person_id):
        """A person's activities, newest first: all of them for the person, and for others those
        dated while the person was where the permission matrix lets them look."""
        condition = access.readable(person_id, activities.c.starts_on)
        query = (select(activities).where(activities.c.person_id == person_id, condition)
                 .order_by(activities.c.starts_on.desc(), activities.c.id))
        page = paginate(current_uow().session, query, args, scalars=False)
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
        access.require_owner(person_id)
        principal = current_principal()
        [activity_id] = handlers.record_activities(current_uow(), trust_id=principal.trust_id,
                                                   person_ids=[person_id], fields=body, source="self",
                                                   actor_id=principal.person_id,
                                                   follow_up_weeks=access.follow_up_weeks())
        return {"id": activity_id}

    @blp.route("/activities/<id:activity_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, ActivitySchema)
    @documented
    def get_activity(activity_id):
        """One activity, if the caller may read the person's record for its dates."""
        row = get_row(current_uow().session, activities, activity_id, current_principal().trust_id, "activity")
        if not access.may_read_record(row.person_id, row.starts_on):
            raise ApiError(403, "you may not see this record")
        record_read("portfolio.activity", [(row.id, row.person_id)])
        return row._mapping

    @blp.route("/activities/<id:activity_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(ActivityUpdateSchema)
    @blp.response(200, ActivitySchema)
    @documented
    def update_activity(body, activity_id):
        """Change one's own activity (add a reflection, correct hours)."""
        principal = current_principal()
        row = get_row(current_uow().session, activities, activity_id, principal.trust_id, "activity")
        access.require_owner(row.person_id)
        handlers.update_activity(current_uow(), trust_id=principal.trust_id, activity_id=activity_id, changes=body,
                                 actor_id=principal.person_id)
        return get_row(current_uow().session, activities, activity_id, principal.trust_id, "activity")._mapping

    @blp.route("/activities/assignments", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(AssignmentSchema)
    @blp.response(201, CreatedManySchema)
    @documented
    def assign(body):
        """"Flood fill": record one activity (an INSET day, a trust session) for many people at once."""
        person_ids = list(dict.fromkeys(body.pop("person_ids")))
        _require_may_assign(person_ids)
        principal = current_principal()
        ids = handlers.record_activities(current_uow(), trust_id=principal.trust_id, person_ids=person_ids,
                                         fields=body, source="assigned", actor_id=principal.person_id,
                                         follow_up_weeks=access.follow_up_weeks())
        return {"ids": ids}

    return blp


"""Observation records: drafted by the observer, shared with the observee, acknowledged by them."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.web.access_log import record_read
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.pagination import page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from observation import commands, queries
from observation.access import Access
from observation.api.caller import caller
from observation.api.etag import IF_MATCH_PARAMETER, expected_version, tagged
from observation.api.schemas import (
    AcknowledgeSchema, ActionStepSchema, CompleteStepSchema, RecordCreateSchema, RecordFieldsSchema, RecordQuerySchema,
    RecordSchema, RecordSummarySchema, ShareSchema,
)


def _readable(record_id: str, access: Access | None = None):
    """The record if the caller may read it; otherwise it does not exist for them (404)."""
    return queries.readable_record(current_uow().session, access or caller(), record_id)


def _log_reads(rows) -> None:
    """The observee sees who else opened their records (the observer made them: not logged)."""
    me = current_principal().person_id
    record_read("observation.record", [(row["id"], row["observee_id"]) for row in rows
                                       if me not in (row["observer_id"], row["observee_id"])])


def _detail(record_id: str):
    access = caller()
    record = _readable(record_id, access)
    _log_reads([record._mapping])
    private = access.me in (record.observer_id, record.observee_id)
    return tagged(queries.record_detail(current_uow().session, record, include_private=private), record.row_version)


def blueprint() -> Blueprint:
    blp = Blueprint("records", __name__, url_prefix="/v1/records",
                    description="Drop-ins, learning walks, observations, work scrutiny and coaching conversations")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(RecordQuerySchema, location="query")
    @blp.response(200, page_schema(RecordSummarySchema))
    @error_responses(blp, 404)
    def list_records(args):
        """Records the caller may see: their own (as observee, from every school), those they made,
        those shared with them, and reportable records in their windows as a school leader or line manager."""
        query = queries.visible_records(caller(), current_principal().trust_id, args)
        page = paginate(current_uow().session, query, args, scalars=False)
        _log_reads(page["items"])
        return page

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.arguments(RecordCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404)
    def create_record(body):
        """Record an observation (a draft, or shared at once with ``share``). Send an
        ``Idempotency-Key`` from mobile: however often it is retried, one record is made."""
        access = caller()
        school_id = access.require_may_observe(body["observee_id"], body["school_id"])
        return {"id": commands.create_record(current_uow(), trust_id=access.principal.trust_id,
                                             observer_id=access.me, school_id=school_id, body=body)}

    @blp.route("/<record_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, RecordSchema)
    @error_responses(blp, 404)
    def get_record(record_id):
        """One record, rendered on the form version it was made with (never a later one)."""
        return _detail(record_id)

    @blp.route("/<record_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(RecordFieldsSchema)
    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(200, RecordSchema)
    @error_responses(blp, 403, 404, 409, 412)
    def update_record(body, record_id):
        """Change a draft (the observer only), checked again against its form version."""
        _readable(record_id)
        commands.update_draft(current_uow(), trust_id=current_principal().trust_id, record_id=record_id,
                              actor_id=current_principal().person_id, changes=body,
                              expected_row_version=expected_version())
        return _detail(record_id)

    @blp.route("/<record_id>/share", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, RecordSchema)
    @error_responses(blp, 403, 404, 409)
    def share(record_id):
        """The observer shares the draft with the observee; it can no longer be changed."""
        _readable(record_id)
        commands.share_record(current_uow(), trust_id=current_principal().trust_id, record_id=record_id,
                              actor_id=current_principal().person_id)
        return _detail(record_id)

    @blp.route("/<record_id>/acknowledge", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(AcknowledgeSchema)
    @blp.response(200, RecordSchema)
    @error_responses(blp, 403, 404, (409, "Already acknowledged"))
    def acknowledge(body, record_id):
        """The observee acknowledges the record, with their response if they wish."""
        _readable(record_id)
        commands.acknowledge(current_uow(), trust_id=current_principal().trust_id, record_id=record_id,
                             actor_id=current_principal().person_id, response=body["response"])
        return _detail(record_id)

    @blp.route("/<record_id>/shares", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(ShareSchema)
    @blp.response(200, RecordSchema)
    @error_responses(blp, 403, 404, 422)
    def grant_access(body, record_id):
        """The observee lets a colleague (e.g. their coach) see this record."""
        access = caller()
        _readable(record_id, access)
        person_id = body["person_id"] or queries.colleague_by_email(current_uow().session,
                                                                    access.principal.trust_id, body["email"])
        commands.grant_access(current_uow(), trust_id=access.principal.trust_id, record_id=record_id,
                              actor_id=access.me, person_id=person_id)
        return _detail(record_id)

    @blp.route("/<record_id>/action-steps/<step_id>/complete", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(CompleteStepSchema)
    @blp.response(200, ActionStepSchema)
    @error_responses(blp, 403, 404, (409, "Already completed"))
    def complete_step(body, record_id, step_id):
        """Mark an action step done (the observer or the observee), e.g. in a follow-up drop-in."""
        _readable(record_id)
        session, trust_id = current_uow().session, current_principal().trust_id
        queries.record_action_step(session, trust_id, record_id, step_id)
        if body["in_record_id"]:
            _readable(body["in_record_id"])
        commands.complete_action_step(current_uow(), trust_id=trust_id, step_id=step_id,
                                      actor_id=current_principal().person_id, in_record_id=body["in_record_id"])
        return queries.describe_action_step(queries.record_action_step(session, trust_id, record_id, step_id))

    return blp

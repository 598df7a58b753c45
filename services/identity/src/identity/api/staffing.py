"""Employments, transfers, leavers, and switching sign-in off and on."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_contracts.events.identity import STAFF_CATEGORIES
from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.web.docs import error_responses
from canopy_kit.web.ids import TrustId
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from identity import access, commands, queries
from identity.api.links import invitation_link
from identity.api.schemas import EmploymentInSchema, EndOnSchema, Fte


class TransferSchema(Schema):
    from_employment_id = TrustId("employment", required=True)
    to_school_id = TrustId("school", required=True)
    effective_on = fields.Date(required=True, metadata={"description": "first day at the new school"})
    job_title = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    staff_category = fields.String(load_default=None, validate=validate.OneOf(STAFF_CATEGORIES))
    fte = Fte(load_default=None)


class LeaveSchema(Schema):
    last_day = fields.Date(required=True)


class DisableSchema(Schema):
    # Optional so that a request without a body still disables, as it always has.
    reason = fields.String(load_default="disabled by an administrator", validate=validate.Length(min=1, max=500),
                           metadata={"description": "why, kept in the audit log"})


def blueprint() -> Blueprint:
    blp = Blueprint("staffing", __name__, url_prefix="/v1", description="Employments, transfers and leavers")
    documented = error_responses(blp, 403, 404, 409)

    @blp.route("/people/<person_id>/employments", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EmploymentInSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def start_employment(body, person_id):
        """Start an employment (a second school at once is fine: part time, secondment)."""
        access.require_may_employ(request_permissions(), person_id, body["school_id"])
        principal = current_principal()
        return {"id": commands.start_employment(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                                actor_id=principal.person_id, **body)}

    @blp.route("/employments/<employment_id>/end", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EndOnSchema)
    @blp.response(204)
    @documented
    def end_employment(body, employment_id):
        """End an employment on a day; line management at that school ends with it."""
        principal = current_principal()
        row = queries.employment(current_uow().session, principal.trust_id, employment_id)
        request_permissions().require_at_school("staff.manage", row.school_id)
        commands.end_employment(current_uow(), trust_id=principal.trust_id, employment_id=employment_id,
                                ends_on=body["on"], actor_id=principal.person_id)

    @blp.route("/people/<person_id>/transfers", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(TransferSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def transfer(body, person_id):
        """Move a person to another school: the same person id; their history goes with them."""
        principal, perms = current_principal(), request_permissions()
        row = queries.employment(current_uow().session, principal.trust_id, body["from_employment_id"])
        perms.require_at_school("staff.manage", row.school_id)
        perms.require_at_school("staff.manage", body["to_school_id"])
        new_id = commands.transfer(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                   actor_id=principal.person_id, **body)
        return {"id": new_id}

    @blp.route("/people/<person_id>/leave", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(LeaveSchema)
    @blp.response(204)
    @documented
    def leave(body, person_id):
        """Record a leaver: employments, roles and line management end; sign-in is disabled."""
        access.require_may_record_leaver(request_permissions(), person_id, body["last_day"])
        principal = current_principal()
        commands.leave(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                       last_day=body["last_day"], actor_id=principal.person_id)

    @blp.route("/people/<person_id>/disable", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(DisableSchema, required=False)
    @blp.response(204)
    @documented
    def disable(body, person_id):
        """Stop a person signing in (their sessions end at once); nothing of theirs is deleted."""
        request_permissions().require_about("staff.manage", person_id)
        principal = current_principal()
        commands.disable_account(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                 reason=body["reason"], actor_id=principal.person_id)

    @blp.route("/people/<person_id>/enable", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @documented
    def enable(person_id):
        """Let a disabled person sign in again."""
        access.require_may_enable(request_permissions(), person_id)
        principal = current_principal()
        commands.enable_account(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                actor_id=principal.person_id)

    @blp.route("/people/<person_id>/invitations", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @documented
    def invite(person_id):
        """Email the person a one-time link to set their password (replaces any earlier link)."""
        request_permissions().require_about("staff.manage", person_id)
        principal = current_principal()
        commands.invite(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                        link_base=invitation_link(), actor_id=principal.person_id)

    return blp

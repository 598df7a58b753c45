"""Employments, transfers, leavers, and switching sign-in off and on."""
from __future__ import annotations

from datetime import date

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from canopy_contracts.events.identity import STAFF_CATEGORIES
from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.ids import TrustId
from canopy_kit.web.request_uow import current_uow
from identity import handlers
from identity.api.people import invitation_link
from identity.api.schemas import CreatedSchema, EmploymentInSchema, EndOnSchema, Fte
from identity.db import employments
from identity.directory import permissions
from identity.handlers.common import get_row


class TransferSchema(Schema):
    from_employment_id = TrustId("employment", required=True)
    to_school_id = TrustId("school", required=True)
    effective_on = fields.Date(required=True, metadata={"description": "first day at the new school"})
    job_title = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    staff_category = fields.String(load_default=None, validate=validate.OneOf(STAFF_CATEGORIES))
    fte = Fte(load_default=None)


class LeaveSchema(Schema):
    last_day = fields.Date(required=True)


def _current_schools(person_id: str, on: date) -> set[str]:
    return set(current_uow().session.execute(select(employments.c.school_id).where(
        employments.c.person_id == person_id, employments.c.starts_on <= on,
        or_(employments.c.ends_on.is_(None), employments.c.ends_on >= on))).scalars())


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
        permissions().require_at_school("staff.manage", body["school_id"])
        principal = current_principal()
        if permissions().directory.trust_of(person_id) != principal.trust_id:
            raise ApiError(404, "no such person")
        return {"id": handlers.start_employment(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                                actor_id=principal.person_id, **body)}

    @blp.route("/employments/<employment_id>/end", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EndOnSchema)
    @blp.response(204)
    @documented
    def end_employment(body, employment_id):
        """End an employment on a day; line management at that school ends with it."""
        principal = current_principal()
        row = get_row(current_uow(), employments, employment_id, principal.trust_id, "employment")
        permissions().require_at_school("staff.manage", row.school_id)
        handlers.end_employment(current_uow(), trust_id=principal.trust_id, employment_id=employment_id,
                                ends_on=body["on"], actor_id=principal.person_id)

    @blp.route("/people/<person_id>/transfers", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(TransferSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def transfer(body, person_id):
        """Move a person to another school: the same person id; their history goes with them."""
        principal, perms = current_principal(), permissions()
        row = get_row(current_uow(), employments, body["from_employment_id"], principal.trust_id, "employment")
        perms.require_at_school("staff.manage", row.school_id)
        perms.require_at_school("staff.manage", body["to_school_id"])
        new_id = handlers.transfer(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                   actor_id=principal.person_id, **body)
        return {"id": new_id}

    @blp.route("/people/<person_id>/leave", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(LeaveSchema)
    @blp.response(204)
    @documented
    def leave(body, person_id):
        """Record a leaver: employments, roles and line management end; sign-in is disabled."""
        principal, perms = current_principal(), permissions()
        perms.require_about("staff.read", person_id)
        for school_id in _current_schools(person_id, body["last_day"]) or {None}:
            if school_id is None:
                if perms.schools_for("staff.manage") is not None:
                    raise ApiError(403, "only a trust admin may record this leaver")
            else:
                perms.require_at_school("staff.manage", school_id)
        handlers.leave(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                       last_day=body["last_day"], actor_id=principal.person_id)

    @blp.route("/people/<person_id>/disable", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @documented
    def disable(person_id):
        """Stop a person signing in (their sessions end at once); nothing of theirs is deleted."""
        permissions().require_about("staff.manage", person_id)
        principal = current_principal()
        handlers.disable_account(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                 reason="disabled by an administrator", actor_id=principal.person_id)

    @blp.route("/people/<person_id>/enable", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @documented
    def enable(person_id):
        """Let a disabled person sign in again."""
        permissions().require_about("staff.read", person_id)
        if permissions().schools_for("staff.manage") is not None:
            raise ApiError(403, "only a trust admin may enable an account")
        principal = current_principal()
        handlers.enable_account(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                                actor_id=principal.person_id)

    @blp.route("/people/<person_id>/invitations", methods=["POST"])
    @authenticated(blp)
    @blp.response(204)
    @documented
    def invite(person_id):
        """Email the person a one-time link to set their password (replaces any earlier link)."""
        permissions().require_about("staff.manage", person_id)
        principal = current_principal()
        handlers.invite(current_uow(), trust_id=principal.trust_id, person_id=person_id,
                        link_base=invitation_link(), actor_id=principal.person_id)

    return blp

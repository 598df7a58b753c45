"""Role grants and line management."""
from __future__ import annotations

from datetime import date

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from identity import access, commands, queries
from identity.api.schemas import EndOnSchema, GrantInSchema, LineManagementInSchema, PersonSummarySchema


def blueprint() -> Blueprint:
    blp = Blueprint("roles", __name__, url_prefix="/v1", description="Roles and line management")
    documented = error_responses(blp, 403, 404, 409)

    @blp.route("/role-grants", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(GrantInSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def grant(body):
        """Grant a role at a scope from a date (default today)."""
        access.require_may_grant(request_permissions(), body["role"], body["scope_type"], body["scope_id"])
        principal = current_principal()
        grant_id = commands.grant_role(
            current_uow(), trust_id=principal.trust_id, person_id=body["person_id"], role=body["role"],
            scope_type=body["scope_type"], scope_id=body["scope_id"], valid_from=body["valid_from"] or date.today(),
            valid_to=body["valid_to"], actor_id=principal.person_id)
        return {"id": grant_id}

    @blp.route("/role-grants/<grant_id>/end", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EndOnSchema)
    @blp.response(204)
    @documented
    def end_grant(body, grant_id):
        """End a grant on a day; that it existed is kept."""
        principal = current_principal()
        row = queries.role_grant(current_uow().session, principal.trust_id, grant_id)
        access.require_may_grant(request_permissions(), row.role, row.scope_type, row.scope_id)
        commands.end_grant(current_uow(), trust_id=principal.trust_id, grant_id=grant_id, valid_to=body["on"],
                           actor_id=principal.person_id)

    @blp.route("/line-managers", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(LineManagementInSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def assign(body):
        """Make someone a person's appraiser at a school from a date; a running assignment there
        ends the day before."""
        request_permissions().require_at_school("line_management.manage", body["school_id"])
        principal = current_principal()
        return {"id": commands.assign_line_manager(
            current_uow(), trust_id=principal.trust_id, person_id=body["person_id"], manager_id=body["manager_id"],
            school_id=body["school_id"], starts_on=body["starts_on"] or date.today(), actor_id=principal.person_id)}

    @blp.route("/line-managers/<assignment_id>/end", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(EndOnSchema)
    @blp.response(204)
    @documented
    def end_assignment(body, assignment_id):
        """End a line-management period; the history stays."""
        principal = current_principal()
        row = queries.line_management(current_uow().session, principal.trust_id, assignment_id)
        request_permissions().require_at_school("line_management.manage", row.school_id)
        commands.end_line_management(current_uow(), trust_id=principal.trust_id, assignment_id=assignment_id,
                                     ends_on=body["on"], actor_id=principal.person_id)

    @blp.route("/me/appraisees", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(PersonSummarySchema, "AppraiseePage"))
    def my_appraisees(args):
        """The people the caller line-manages today."""
        return paginate(current_uow().session, queries.appraisees(current_principal().person_id), args,
                        scalars=False)

    return blp

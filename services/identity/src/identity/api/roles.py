"""Role grants and line management."""
from __future__ import annotations

from datetime import date

from flask_smorest import Blueprint

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from identity import handlers, queries
from identity.api.schemas import CreatedSchema, EndOnSchema, GrantInSchema, LineManagementInSchema, PersonSummarySchema
from identity.db import line_managers, role_grants
from identity.directory import permissions
from identity.handlers.common import get_row
from identity.handlers.roles import TRUST_ONLY_ROLES

# Roles a school's own admins may not hand out: those that see or act beyond the school.
TRUST_ADMIN_GRANTS = TRUST_ONLY_ROLES | {"headteacher"}


def _require_grant_permission(role: str, scope_type: str, scope_id: str) -> None:
    perms = permissions()
    if scope_type == "school" and role not in TRUST_ADMIN_GRANTS:
        perms.require_at_school("roles.manage", scope_id)
    elif perms.schools_for("roles.manage") is not None:
        raise ApiError(403, f"only a trust admin may grant {role} at {scope_type} scope")


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
        _require_grant_permission(body["role"], body["scope_type"], body["scope_id"])
        principal = current_principal()
        grant_id = handlers.grant_role(
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
        row = get_row(current_uow(), role_grants, grant_id, principal.trust_id, "role grant")
        _require_grant_permission(row.role, row.scope_type, row.scope_id)
        handlers.end_grant(current_uow(), trust_id=principal.trust_id, grant_id=grant_id, valid_to=body["on"],
                           actor_id=principal.person_id)

    @blp.route("/line-managers", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(LineManagementInSchema)
    @blp.response(201, CreatedSchema)
    @documented
    def assign(body):
        """Make someone a person's appraiser at a school from a date; a running assignment there
        ends the day before."""
        permissions().require_at_school("line_management.manage", body["school_id"])
        principal = current_principal()
        return {"id": handlers.assign_line_manager(
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
        row = get_row(current_uow(), line_managers, assignment_id, principal.trust_id, "line management")
        permissions().require_at_school("line_management.manage", row.school_id)
        handlers.end_line_management(current_uow(), trust_id=principal.trust_id, assignment_id=assignment_id,
                                     ends_on=body["on"], actor_id=principal.person_id)

    @blp.route("/me/appraisees", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(PersonSummarySchema, "AppraiseePage"))
    def my_appraisees(args):
        """The people the caller line-manages today."""
        session = current_uow().session
        return paginate(session, queries.appraisees(session, current_principal().person_id), args, scalars=False)

    return blp

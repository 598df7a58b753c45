"""The trust's schools and groups of schools."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from identity import access, commands, queries
from identity.api.schemas import GroupSchema, SchoolSchema, SchoolUpdateSchema


def blueprint() -> Blueprint:
    blp = Blueprint("structure", __name__, url_prefix="/v1", description="Schools and groups of schools")

    @blp.route("/schools", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(SchoolSchema))
    def list_schools(args):
        """Schools of the caller's trust (open and closed), by name. Never another trust's."""
        return paginate(current_uow().session, queries.schools_of(current_principal().trust_id), args, scalars=False)

    @blp.route("/schools", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(SchoolSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 409)
    def add_school(body):
        """Add a school to the trust (trust admins)."""
        access.require_structure_admin(request_permissions())
        principal = current_principal()
        return {"id": commands.add_school(current_uow(), trust_id=principal.trust_id, name=body["name"],
                                          phase=body["phase"], urn=body["urn"], actor_id=principal.person_id)}

    @blp.route("/schools/<school_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, SchoolSchema)
    @error_responses(blp, 404)
    def get_school(school_id):
        """One school of the caller's trust, open or closed: whoever may list the schools opens it."""
        return queries.school(current_uow().session, current_principal().trust_id, school_id)

    @blp.route("/schools/<school_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(SchoolUpdateSchema)
    @blp.response(200, SchoolSchema)
    @error_responses(blp, 403, 404, 409)
    def update_school(body, school_id):
        """Rename, re-phase or close (status ``closed``) a school; its history keeps its id."""
        access.require_structure_admin(request_permissions())
        principal = current_principal()
        commands.update_school(current_uow(), trust_id=principal.trust_id, school_id=school_id, changes=body,
                               actor_id=principal.person_id)
        return queries.school(current_uow().session, principal.trust_id, school_id)

    @blp.route("/groups", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, GroupSchema(many=True))
    def list_groups():
        """Groups of schools (e.g. hubs) that roles can be granted over."""
        return queries.groups_of(current_uow().session, current_principal().trust_id)

    @blp.route("/groups", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(GroupSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404, 409)
    def create_group(body):
        """Create a group of schools (trust admins)."""
        access.require_structure_admin(request_permissions())
        principal = current_principal()
        return {"id": commands.create_group(current_uow(), trust_id=principal.trust_id, name=body["name"],
                                            school_ids=body["school_ids"], actor_id=principal.person_id)}

    @blp.route("/groups/<group_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, GroupSchema)
    @error_responses(blp, 404)
    def get_group(group_id):
        """One group of schools of the caller's trust, as the list shows it."""
        return queries.group(current_uow().session, current_principal().trust_id, group_id)

    @blp.route("/groups/<group_id>", methods=["PUT"])
    @authenticated(blp)
    @blp.arguments(GroupSchema)
    @blp.response(200, GroupSchema)
    @error_responses(blp, 403, 404, 409)
    def update_group(body, group_id):
        """Rename a group or change its schools (the list given is the whole list)."""
        access.require_structure_admin(request_permissions())
        principal = current_principal()
        commands.update_group(current_uow(), trust_id=principal.trust_id, group_id=group_id, name=body["name"],
                              school_ids=body["school_ids"], actor_id=principal.person_id)
        return queries.group(current_uow().session, principal.trust_id, group_id)

    return blp

"""The trust's schools and groups of schools."""
from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from identity import handlers
from identity.api.schemas import CreatedSchema, GroupSchema, SchoolSchema, SchoolUpdateSchema
from identity.db import group_schools, school_groups, schools
from identity.directory import permissions
from identity.handlers.common import get_row


def _require_structure_admin() -> None:
    if permissions().schools_for("structure.manage") is not None:
        raise ApiError(403, "only a trust admin may change the trust's structure")


def _group(session, group_id: str) -> dict:
    row = session.execute(select(school_groups).where(school_groups.c.id == group_id)).one()
    members = session.execute(select(group_schools.c.school_id).where(group_schools.c.group_id == group_id)
                              .order_by(group_schools.c.school_id)).scalars().all()
    return {"id": row.id, "name": row.name, "school_ids": list(members)}


def blueprint() -> Blueprint:
    blp = Blueprint("structure", __name__, url_prefix="/v1", description="Schools and groups of schools")

    @blp.route("/schools", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(SchoolSchema))
    def list_schools(args):
        """Schools of the caller's trust (open and closed), by name. Never another trust's."""
        query = select(schools).where(schools.c.trust_id == current_principal().trust_id).order_by(schools.c.name)
        return paginate(current_uow().session, query, args, scalars=False)

    @blp.route("/schools", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(SchoolSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 409)
    def add_school(body):
        """Add a school to the trust (trust admins)."""
        _require_structure_admin()
        principal = current_principal()
        return {"id": handlers.add_school(current_uow(), trust_id=principal.trust_id, name=body["name"],
                                          phase=body["phase"], urn=body["urn"], actor_id=principal.person_id)}

    @blp.route("/schools/<school_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, SchoolSchema)
    @error_responses(blp, 404)
    def get_school(school_id):
        """One school of the caller's trust, open or closed: whoever may list the schools opens it."""
        return get_row(current_uow(), schools, school_id, current_principal().trust_id, "school")._mapping

    @blp.route("/schools/<school_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(SchoolUpdateSchema)
    @blp.response(200, SchoolSchema)
    @error_responses(blp, 403, 404, 409)
    def update_school(body, school_id):
        """Rename, re-phase or close (status ``closed``) a school; its history keeps its id."""
        _require_structure_admin()
        principal = current_principal()
        handlers.update_school(current_uow(), trust_id=principal.trust_id, school_id=school_id, changes=body,
                               actor_id=principal.person_id)
        return get_row(current_uow(), schools, school_id, principal.trust_id, "school")._mapping

    @blp.route("/groups", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, GroupSchema(many=True))
    def list_groups():
        """Groups of schools (e.g. hubs) that roles can be granted over."""
        session = current_uow().session
        ids = session.execute(select(school_groups.c.id).where(
            school_groups.c.trust_id == current_principal().trust_id).order_by(school_groups.c.name)).scalars().all()
        return [_group(session, group_id) for group_id in ids]

    @blp.route("/groups", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(GroupSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404, 409)
    def create_group(body):
        """Create a group of schools (trust admins)."""
        _require_structure_admin()
        principal = current_principal()
        return {"id": handlers.create_group(current_uow(), trust_id=principal.trust_id, name=body["name"],
                                            school_ids=body["school_ids"], actor_id=principal.person_id)}

    @blp.route("/groups/<group_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, GroupSchema)
    @error_responses(blp, 404)
    def get_group(group_id):
        """One group of schools of the caller's trust, as the list shows it."""
        get_row(current_uow(), school_groups, group_id, current_principal().trust_id, "group")
        return _group(current_uow().session, group_id)

    @blp.route("/groups/<group_id>", methods=["PUT"])
    @authenticated(blp)
    @blp.arguments(GroupSchema)
    @blp.response(200, GroupSchema)
    @error_responses(blp, 403, 404, 409)
    def update_group(body, group_id):
        """Rename a group or change its schools (the list given is the whole list)."""
        _require_structure_admin()
        principal = current_principal()
        handlers.update_group(current_uow(), trust_id=principal.trust_id, group_id=group_id, name=body["name"],
                              school_ids=body["school_ids"], actor_id=principal.person_id)
        return _group(current_uow().session, group_id)

    return blp

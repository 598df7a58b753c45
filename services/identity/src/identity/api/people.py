"""The staff directory and the people in it."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.pagination import page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from identity import access, commands, queries
from identity.api.links import invitation_link
from identity.api.schemas import (
    DirectoryQuerySchema, PersonCreateSchema, PersonSchema, PersonSummarySchema, PersonUpdateSchema,
)


def blueprint() -> Blueprint:
    blp = Blueprint("people", __name__, url_prefix="/v1/people", description="The staff directory")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(DirectoryQuerySchema, location="query")
    @blp.response(200, page_schema(PersonSummarySchema))
    @error_responses(blp, 404)
    def list_people(args):
        """People the caller may see (their schools' staff, their appraisees, themselves; everyone
        for trust-wide roles), searchable by name or email, filterable by school, staff category, role,
        status."""
        return paginate(current_uow().session, queries.visible_people(request_permissions(), args), args,
                        scalars=False)

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.arguments(PersonCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404, (409, "The email is already used in the trust"))
    def create_person(body):
        """Add a member of staff, optionally with their first employment and an invitation."""
        principal, uow = current_principal(), current_uow()
        employment = body["employment"]
        access.require_may_add_person(request_permissions(), employment["school_id"] if employment else None)
        person_id = commands.register_person(
            uow, trust_id=principal.trust_id, given_name=body["given_name"], family_name=body["family_name"],
            email=body["email"], preferred_name=body["preferred_name"], actor_id=principal.person_id)
        if employment is not None:
            commands.start_employment(uow, trust_id=principal.trust_id, person_id=person_id,
                                      actor_id=principal.person_id, **employment)
        if body["invite"]:
            commands.invite(uow, trust_id=principal.trust_id, person_id=person_id, link_base=invitation_link(),
                            actor_id=principal.person_id)
        return {"id": person_id}

    @blp.route("/<person_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, PersonSchema)
    @error_responses(blp, 403, 404)
    def get_person(person_id):
        """One person: employments (the whole history), roles and line managers."""
        request_permissions().require_about("staff.read", person_id)
        return queries.person_detail(current_uow().session, person_id)

    @blp.route("/<person_id>", methods=["PATCH"])
    @authenticated(blp)
    @blp.arguments(PersonUpdateSchema)
    @blp.response(200, PersonSchema)
    @error_responses(blp, 403, 404, 409)
    def update_person(body, person_id):
        """Change a person's names or email."""
        request_permissions().require_about("staff.manage", person_id)
        principal = current_principal()
        commands.update_person(current_uow(), trust_id=principal.trust_id, person_id=person_id, changes=body,
                               actor_id=principal.person_id)
        return queries.person_detail(current_uow().session, person_id)

    return blp

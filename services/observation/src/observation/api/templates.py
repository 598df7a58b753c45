"""Form templates: the trust's or a school's own forms, versioned; a published version never changes."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import page_schema
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from observation import commands, queries
from observation.api.caller import caller
from observation.api.etag import IF_MATCH_PARAMETER, expected_version, tagged
from observation.api.schemas import (
    TemplateCreateSchema, TemplateDraftSchema, TemplateQuerySchema, TemplateSchema, TemplateVersionSchema,
    VersionNumberSchema,
)


def _template(template_id: str):
    return queries.template_in_trust(current_uow().session, current_principal().trust_id, template_id)


def _managed(template_id: str):
    template = _template(template_id)
    caller().require_form_manager(template.owner_school_id)
    return template


def _version(template_id: str, version: int):
    """One version of a form, tagged with the ETag that guards edits of a draft."""
    row = queries.numbered_version(current_uow().session, template_id, version)
    return tagged(queries.describe_version(row), row.row_version)


def blueprint() -> Blueprint:
    blp = Blueprint("templates", __name__, url_prefix="/v1/templates", description="Versioned observation forms")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(TemplateQuerySchema, location="query")
    @blp.response(200, page_schema(TemplateSchema))
    @error_responses(blp, 404)
    def list_templates(args):
        """The trust's forms (optionally only those usable at one school), newest first."""
        return queries.templates_page(current_uow().session, current_principal().trust_id, args["school_id"],
                                      args["page"], args["page_size"])

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(TemplateCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404)
    def create_template(body):
        """A new form, as draft version 1: the trust's (shared with all or some schools) or a school's."""
        access = caller()
        access.require_form_manager(body["owner_school_id"])
        return {"id": commands.create_template(
            current_uow(), trust_id=access.principal.trust_id, name=body["name"], owner_school_id=body["owner_school_id"],
            shared_with=body["shared_with_school_ids"], definition={"sections": body["sections"]},
            actor_id=access.me)}

    @blp.route("/<template_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, TemplateSchema)
    @error_responses(blp, 404)
    def get_template(template_id):
        """One form and its versions."""
        return queries.describe_template(current_uow().session, _template(template_id))

    @blp.route("/<template_id>/versions/<int:version>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, TemplateVersionSchema)
    @error_responses(blp, 404)
    def get_version(template_id, version):
        """One version of a form: its sections and items. The ETag guards edits of a draft."""
        _template(template_id)
        return _version(template_id, version)

    @blp.route("/<template_id>/draft", methods=["PUT"])
    @authenticated(blp)
    @blp.arguments(TemplateDraftSchema)
    @blp.doc(parameters=[IF_MATCH_PARAMETER])
    @blp.response(200, VersionNumberSchema)
    @error_responses(blp, 403, 404, 409, 412)
    def save_draft(body, template_id):
        """Edit the form: updates the draft, or starts a new draft above the published version."""
        _managed(template_id)
        version, row_version = commands.save_draft(
            current_uow(), trust_id=current_principal().trust_id, template_id=template_id,
            definition={"sections": body["sections"]}, expected_row_version=expected_version())
        return tagged({"version": version}, row_version)

    @blp.route("/<template_id>/publish", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, TemplateVersionSchema)
    @error_responses(blp, 403, 404, (409, "There is no draft to publish"))
    def publish(template_id):
        """Publish the draft: new records use it; records on older versions keep theirs. Answers the
        published version (its ``version`` as before)."""
        _managed(template_id)
        principal = current_principal()
        return _version(template_id, commands.publish_template(current_uow(), trust_id=principal.trust_id,
                                                               template_id=template_id, actor_id=principal.person_id))

    @blp.route("/<template_id>/retire", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, TemplateSchema)
    @error_responses(blp, 403, 404)
    def retire(template_id):
        """Stop the form being used for new records; existing records keep it."""
        _managed(template_id)
        commands.retire_template(current_uow(), trust_id=current_principal().trust_id, template_id=template_id)
        return queries.describe_template(current_uow().session, _managed(template_id))  # re-read: now retired

    return blp

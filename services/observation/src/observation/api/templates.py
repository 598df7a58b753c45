"""Form templates: the trust's or a school's own forms, versioned; a published version never changes."""
from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.pagination import page_schema
from canopy_kit.web.request_uow import current_uow
from observation import handlers
from observation.access import access
from observation.api.etag import IF_MATCH_PARAMETER, expected_version, tagged
from observation.api.schemas import (
    CreatedSchema, TemplateCreateSchema, TemplateDraftSchema, TemplateQuerySchema, TemplateSchema,
    TemplateVersionSchema, VersionNumberSchema,
)
from observation.db import template_versions, templates
from observation.handlers.common import find, from_json
from observation.handlers.templates import available_at, describe_version


def _describe(session, template) -> dict:
    versions = session.execute(select(template_versions).where(template_versions.c.template_id == template.id)
                               .order_by(template_versions.c.version)).all()
    return {"id": template.id, "name": template.name, "owner_school_id": template.owner_school_id,
            "shared_with": from_json(template.shared_with), "status": template.status,
            "versions": [{"id": v.id, "version": v.version, "status": v.status, "published_at": v.published_at}
                         for v in versions]}


def _managed(template_id: str):
    template = find(current_uow(), templates, template_id, current_principal().trust_id, "template")
    access().require_form_manager(template.owner_school_id)
    return template


def _version(template_id: str, version: int):
    """One version of a form, tagged with the ETag that guards edits of a draft."""
    row = current_uow().session.execute(select(template_versions).where(
        template_versions.c.template_id == template_id, template_versions.c.version == version)).first()
    if row is None:
        raise ApiError(404, "no such version")
    return tagged(describe_version(row), row.row_version)


def blueprint() -> Blueprint:
    blp = Blueprint("templates", __name__, url_prefix="/v1/templates", description="Versioned observation forms")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(TemplateQuerySchema, location="query")
    @blp.response(200, page_schema(TemplateSchema))
    @error_responses(blp, 404)
    def list_templates(args):
        """The trust's forms (optionally only those usable at one school), newest first."""
        session = current_uow().session
        rows = session.execute(select(templates).where(templates.c.trust_id == current_principal().trust_id)
                               .order_by(templates.c.created_at.desc(), templates.c.id)).all()
        if args["school_id"]:
            rows = [r for r in rows if r.status == "active" and available_at(r, args["school_id"])]
        page, size = args["page"], args["page_size"]
        return {"items": [_describe(session, r) for r in rows[(page - 1) * size: page * size]], "page": page,
                "page_size": size, "total": len(rows)}

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(TemplateCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404)
    def create_template(body):
        """A new form, as draft version 1: the trust's (shared with all or some schools) or a school's."""
        principal = current_principal()
        access().require_form_manager(body["owner_school_id"])
        if body["owner_school_id"] and body["shared_with_school_ids"] is not None:
            raise ApiError(422, "a school's own form is not shared", errors={"shared_with_school_ids": ["must be null"]})
        return {"id": handlers.create_template(
            current_uow(), trust_id=principal.trust_id, name=body["name"], owner_school_id=body["owner_school_id"],
            shared_with=body["shared_with_school_ids"], definition={"sections": body["sections"]},
            actor_id=principal.person_id)}

    @blp.route("/<template_id>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, TemplateSchema)
    @error_responses(blp, 404)
    def get_template(template_id):
        """One form and its versions."""
        return _describe(current_uow().session,
                         find(current_uow(), templates, template_id, current_principal().trust_id, "template"))

    @blp.route("/<template_id>/versions/<int:version>", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, TemplateVersionSchema)
    @error_responses(blp, 404)
    def get_version(template_id, version):
        """One version of a form: its sections and items. The ETag guards edits of a draft."""
        find(current_uow(), templates, template_id, current_principal().trust_id, "template")
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
        version, row_version = handlers.save_draft(
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
        return _version(template_id, handlers.publish_template(current_uow(), trust_id=principal.trust_id,
                                                               template_id=template_id, actor_id=principal.person_id))

    @blp.route("/<template_id>/retire", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, TemplateSchema)
    @error_responses(blp, 403, 404)
    def retire(template_id):
        """Stop the form being used for new records; existing records keep it."""
        _managed(template_id)
        handlers.retire_template(current_uow(), trust_id=current_principal().trust_id, template_id=template_id)
        return _describe(current_uow().session, _managed(template_id))  # re-read: now retired

    return blp

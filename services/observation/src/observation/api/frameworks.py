"""Frameworks: the national standards and the trust's own principles, versioned."""
from __future__ import annotations

from flask_smorest import Blueprint
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from observation import handlers
from observation.access import access
from observation.api.schemas import (
    CreatedSchema, FrameworkCreateSchema, FrameworkItemsSchema, FrameworkQuerySchema, FrameworkSchema,
    VersionNumberSchema,
)
from observation.db import frameworks
from observation.handlers.common import find
from observation.handlers.frameworks import describe


def blueprint() -> Blueprint:
    blp = Blueprint("frameworks", __name__, url_prefix="/v1/frameworks",
                    description="Teaching and learning principles and national standards, as versioned data")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(FrameworkSchema))
    def list_frameworks(args):
        """The trust's frameworks, each with its latest version's items."""
        uow, trust_id = current_uow(), current_principal().trust_id
        page = paginate(uow.session, select(frameworks).where(frameworks.c.trust_id == trust_id)
                        .order_by(frameworks.c.kind, frameworks.c.name), args, scalars=False)
        return {**page, "items": [describe(uow, row) for row in page["items"]]}

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(FrameworkCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, (409, "The key is already used in the trust"))
    def create_framework(body):
        """A trust's own framework (e.g. its teaching and learning principles), as a draft version 1."""
        access().require_form_manager(None)
        principal = current_principal()
        return {"id": handlers.create_framework(current_uow(), trust_id=principal.trust_id, key=body["key"],
                                                name=body["name"], items=body["items"], actor_id=principal.person_id)}

    @blp.route("/<framework_id>", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(FrameworkQuerySchema, location="query")
    @blp.response(200, FrameworkSchema)
    @error_responses(blp, 404)
    def get_framework(args, framework_id):
        """One framework: a version's items (default: the latest version)."""
        uow = current_uow()
        return describe(uow, find(uow, frameworks, framework_id, current_principal().trust_id, "framework"),
                        args["version"])

    @blp.route("/<framework_id>/versions", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(FrameworkItemsSchema)
    @blp.response(201, VersionNumberSchema)
    @error_responses(blp, 403, 404, (409, "A draft version already exists"))
    def draft_version(body, framework_id):
        """A new draft version; items keep their ids where their code is unchanged."""
        access().require_form_manager(None)
        return {"version": handlers.draft_framework_version(current_uow(), trust_id=current_principal().trust_id,
                                                            framework_id=framework_id, items=body["items"])}

    @blp.route("/<framework_id>/publish", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, FrameworkSchema)
    @error_responses(blp, 403, 404, (409, "There is no draft to publish"))
    def publish(framework_id):
        """Publish the draft version: from now on it never changes. Answers the framework at the
        published version (its ``version`` as before)."""
        access().require_form_manager(None)
        uow, principal = current_uow(), current_principal()
        version = handlers.publish_framework(uow, trust_id=principal.trust_id, framework_id=framework_id,
                                             actor_id=principal.person_id)
        return describe(uow, find(uow, frameworks, framework_id, principal.trust_id, "framework"), version)

    return blp

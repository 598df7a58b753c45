"""Frameworks: the national standards and the trust's own principles, versioned."""
from __future__ import annotations

from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from canopy_kit.web.schemas import CreatedSchema
from observation import commands, queries
from observation.api.caller import caller
from observation.api.schemas import (
    FrameworkCreateSchema, FrameworkItemsSchema, FrameworkQuerySchema, FrameworkSchema, VersionNumberSchema,
)


def _framework(framework_id: str, version: int | None = None) -> dict:
    session = current_uow().session
    return queries.describe_framework(
        session, queries.framework_in_trust(session, current_principal().trust_id, framework_id), version)


def blueprint() -> Blueprint:
    blp = Blueprint("frameworks", __name__, url_prefix="/v1/frameworks",
                    description="Teaching and learning principles and national standards, as versioned data")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(FrameworkSchema))
    def list_frameworks(args):
        """The trust's frameworks, each with its latest version's items."""
        session = current_uow().session
        page = paginate(session, queries.frameworks_query(current_principal().trust_id), args, scalars=False)
        return {**page, "items": [queries.describe_framework(session, row) for row in page["items"]]}

    @blp.route("", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(FrameworkCreateSchema)
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, (409, "The key is already used in the trust"))
    def create_framework(body):
        """A trust's own framework (e.g. its teaching and learning principles), as a draft version 1."""
        access = caller()
        access.require_form_manager(None)
        return {"id": commands.create_framework(current_uow(), trust_id=access.principal.trust_id, key=body["key"],
                                                name=body["name"], items=body["items"], actor_id=access.me)}

    @blp.route("/<framework_id>", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(FrameworkQuerySchema, location="query")
    @blp.response(200, FrameworkSchema)
    @error_responses(blp, 404)
    def get_framework(args, framework_id):
        """One framework: a version's items (default: the latest version)."""
        return _framework(framework_id, args["version"])

    @blp.route("/<framework_id>/versions", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(FrameworkItemsSchema)
    @blp.response(201, VersionNumberSchema)
    @error_responses(blp, 403, 404, (409, "A draft version already exists"))
    def draft_version(body, framework_id):
        """A new draft version; items keep their ids where their code is unchanged."""
        access = caller()
        access.require_form_manager(None)
        return {"version": commands.draft_framework_version(current_uow(), trust_id=access.principal.trust_id,
                                                            framework_id=framework_id, items=body["items"])}

    @blp.route("/<framework_id>/publish", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, FrameworkSchema)
    @error_responses(blp, 403, 404, (409, "There is no draft to publish"))
    def publish(framework_id):
        """Publish the draft version: from now on it never changes. Answers the framework at the
        published version (its ``version`` as before)."""
        access = caller()
        access.require_form_manager(None)
        version = commands.publish_framework(current_uow(), trust_id=access.principal.trust_id,
                                             framework_id=framework_id, actor_id=access.me)
        return _framework(framework_id, version)

    return blp

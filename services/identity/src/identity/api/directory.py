"""The trust's schools, as the caller's trust sees them (the rest of the directory is identity's
next step: people, search and the permission matrix)."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from identity.db import schools
from sqlalchemy import select


class SchoolSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    phase = fields.String(required=True)
    urn = fields.String(allow_none=True)
    status = fields.String(required=True)


def blueprint() -> Blueprint:
    blp = Blueprint("schools", __name__, url_prefix="/v1/schools", description="The trust's schools")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(SchoolSchema))
    def list_schools(args):
        """Schools of the caller's trust, by name. Never another trust's."""
        principal = current_principal()
        query = select(schools).where(schools.c.trust_id == principal.trust_id).order_by(schools.c.name)
        return paginate(current_uow().session, query, args, scalars=False)

    return blp

"""``GET /v1/me``: who the caller is, where they work and what they hold."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.web.request_uow import current_uow
from identity import commands, queries
from identity.api.schemas import EmploymentSchema


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokenGrantSchema(Schema):
    role = fields.String(required=True)
    scope = fields.String(required=True)
    id = fields.String(required=True)


class TrustSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)


class MeSchema(Schema):
    person_id = fields.String(required=True)
    given_name = fields.String(required=True)
    family_name = fields.String(required=True)
    preferred_name = fields.String(allow_none=True)
    email = fields.String(required=True)
    status = fields.String(required=True)
    trust = fields.Nested(TrustSchema, required=True)
    employments = fields.List(fields.Nested(EmploymentSchema), required=True)
    grants = fields.List(fields.Nested(TokenGrantSchema), required=True)


def blueprint() -> Blueprint:
    blp = Blueprint("me", __name__, url_prefix="/v1/me", description="The signed-in person")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.response(200, MeSchema)
    def me():
        """The caller's own record: current employments and role grants."""
        return queries.me(current_uow().session, current_principal())

    @blp.route("/password", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def change_password(body):
        """Change one's own password; every session (refresh token) ends, including this one's."""
        principal = current_principal()
        commands.change_password(current_uow(), trust_id=principal.trust_id, person_id=principal.person_id,
                                 current=body["current_password"], new=body["new_password"])

    return blp

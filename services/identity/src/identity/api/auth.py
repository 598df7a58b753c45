"""Login, refresh, logout and the published signing keys."""
from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.docs import error_responses
from canopy_kit.web.request_uow import current_settings, current_uow
from identity import commands, keys, tokens
from identity.api.links import reset_link


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256),
                             load_only=True)
    trust = fields.String(load_default=None, validate=validate.Length(max=64),
                          metadata={"description": "the trust's slug; needed only if the email is in several"})


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=10, max=200))


class TokenPasswordSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=10, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class ResetRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))


def client_address() -> str | None:
    return (request.remote_addr or "")[:64] or None


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(required=True)


def _token_body(pair: tokens.TokenPair) -> dict:
    return {"access_token": pair.access_token, "token_type": "Bearer", "expires_in": pair.expires_in,
            "refresh_token": pair.refresh_token}


def blueprint() -> Blueprint:
    blp = Blueprint("auth", __name__, url_prefix="/v1/auth", description="Sign in and keep a session")

    @blp.route("/login", methods=["POST"])
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @error_responses(blp, (401, "Email or password is incorrect"),
                     (409, "The email is in several trusts: name the trust"),
                     (429, "Too many failed sign-ins; see Retry-After"))
    def login(body):
        """Exchange email and password for an access token and a refresh token."""
        pair = commands.login(current_uow(), current_settings(), email=body["email"], password=body["password"],
                              trust_slug=body["trust"], client=client_address())
        return _token_body(pair)

    @blp.route("/refresh", methods=["POST"])
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenSchema)
    @error_responses(blp, 401)
    def refresh(body):
        """Use a refresh token once: it is revoked and a new pair is returned."""
        return _token_body(commands.refresh(current_uow(), current_settings(), refresh_token=body["refresh_token"]))

    @blp.route("/invitations/accept", methods=["POST"])
    @blp.arguments(TokenPasswordSchema)
    @blp.response(204)
    @error_responses(blp, (400, "The link is invalid, used or expired"))
    def accept_invitation(body):
        """Set a first password with the one-time link from an invitation; then sign in."""
        commands.accept_invitation(current_uow(), token=body["token"], password=body["password"])

    @blp.route("/password-reset", methods=["POST"])
    @blp.arguments(ResetRequestSchema)
    @blp.response(202)
    def request_reset(body):
        """Email a one-time reset link if the address has an account. The answer is the same
        either way, so it cannot be used to find out who has an account."""
        commands.request_reset(current_uow(), email=body["email"], link_base=reset_link(), client=client_address())
        return Response(status=202)  # no body: the document promises none

    @blp.route("/password-reset/confirm", methods=["POST"])
    @blp.arguments(TokenPasswordSchema)
    @blp.response(204)
    @error_responses(blp, (400, "The link is invalid, used or expired"))
    def confirm_reset(body):
        """Set a new password with the one-time reset link; every existing session ends."""
        commands.confirm_reset(current_uow(), token=body["token"], password=body["password"])

    @blp.route("/logout", methods=["POST"])
    @blp.arguments(RefreshSchema)
    @blp.response(204)
    def logout(body):
        """Revoke the refresh token (and its successors). Idempotent: an unknown token is fine."""
        commands.logout(current_uow(), refresh_token=body["refresh_token"])

    return blp


class JwkSchema(Schema):
    kty = fields.String(required=True)
    crv = fields.String(required=True)
    x = fields.String(required=True)
    kid = fields.String(required=True)
    use = fields.String(required=True)
    alg = fields.String(required=True)


class JwksSchema(Schema):
    keys = fields.List(fields.Nested(JwkSchema), required=True)


def keys_blueprint() -> Blueprint:
    blp = Blueprint("keys", __name__, url_prefix="/.well-known", description="Token verification keys")

    @blp.route("/jwks.json", methods=["GET"])
    @blp.response(200, JwksSchema)
    def jwks():
        """The public keys that verify access tokens; retired keys stay while their tokens live."""
        document = keys.published_jwks(current_uow().session, tokens.VERIFY_WINDOW)
        return document, {"Cache-Control": "public, max-age=300"}

    return blp

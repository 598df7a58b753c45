"""Login, refresh, logout and the published signing keys."""
from __future__ import annotations

from flask import Response, current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.request_uow import current_uow
from identity import handlers, keys, tokens

VERIFY_WINDOW = tokens.ACCESS_TOKEN_TTL * 2


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
        settings = current_app.extensions["canopy"].settings
        pair = handlers.login(current_uow(), settings, email=body["email"], password=body["password"],
                              trust_slug=body["trust"], client=client_address())
        return _token_body(pair)

    @blp.route("/refresh", methods=["POST"])
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenSchema)
    @error_responses(blp, 401)
    def refresh(body):
        """Use a refresh token once: it is revoked and a new pair is returned."""
        settings = current_app.extensions["canopy"].settings
        uow = current_uow()
        try:
            pair = tokens.rotate_refresh(uow.session, body["refresh_token"], issuer=settings.token_issuer,
                                         audience=settings.token_audience,
                                         passphrase=handlers.key_passphrase(settings))
        except tokens.RefreshRejected as exc:
            uow.commit()  # keep the family revocation that reuse triggered
            raise ApiError(401, str(exc), code="refresh_rejected") from None
        return _token_body(pair)

    @blp.route("/invitations/accept", methods=["POST"])
    @blp.arguments(TokenPasswordSchema)
    @blp.response(204)
    @error_responses(blp, (400, "The link is invalid, used or expired"))
    def accept_invitation(body):
        """Set a first password with the one-time link from an invitation; then sign in."""
        handlers.accept_invitation(current_uow(), token=body["token"], password=body["password"])

    @blp.route("/password-reset", methods=["POST"])
    @blp.arguments(ResetRequestSchema)
    @blp.response(202)
    def request_reset(body):
        """Email a one-time reset link if the address has an account. The answer is the same
        either way, so it cannot be used to find out who has an account."""
        from identity.api.people import invitation_link

        settings = current_app.extensions["canopy"].settings
        link = settings.option("RESET_URL") or invitation_link().replace("accept-invitation", "reset-password")
        handlers.request_reset(current_uow(), email=body["email"], link_base=link, client=client_address())
        return Response(status=202)  # no body: the document promises none

    @blp.route("/password-reset/confirm", methods=["POST"])
    @blp.arguments(TokenPasswordSchema)
    @blp.response(204)
    @error_responses(blp, (400, "The link is invalid, used or expired"))
    def confirm_reset(body):
        """Set a new password with the one-time reset link; every existing session ends."""
        handlers.confirm_reset(current_uow(), token=body["token"], password=body["password"])

    @blp.route("/logout", methods=["POST"])
    @blp.arguments(RefreshSchema)
    @blp.response(204)
    def logout(body):
        """Revoke the refresh token (and its successors). Idempotent: an unknown token is fine."""
        tokens.revoke(current_uow().session, body["refresh_token"])
        return None

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
        document = keys.published_jwks(current_uow().session, VERIFY_WINDOW)
        return document, {"Cache-Control": "public, max-age=300"}

    return blp

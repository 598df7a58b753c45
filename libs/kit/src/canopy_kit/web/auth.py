"""The caller in a Flask request, and decorators that document and enforce authentication."""
from __future__ import annotations

from functools import wraps
from typing import Iterable

from flask import current_app, g, request

from canopy_kit.auth.permissions import Permissions
from canopy_kit.auth.principal import Principal
from canopy_kit.auth.tokens import KeysUnavailable, TokenError
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.request_uow import current_uow

BEARER_SCHEME = "bearerAuth"
ACCOUNT_DISABLED_MESSAGE = "this account is disabled; its sessions have ended"
KEYS_RETRY_AFTER = "2"  # a fresh process asks identity for its keys again at its next request


def _unauthorized(reason: str, code: str | None = None) -> ApiError:
    # A quoted-string may not hold a bare quote or backslash (RFC 9110); PyJWT's reasons can.
    quoted = reason.replace("\\", "\\\\").replace('"', '\\"')
    return ApiError(401, reason, code=code,
                    headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{quoted}"'})


def current_principal() -> Principal:
    """The verified caller, or a 401."""
    principal = g.get("canopy_principal")
    if principal is not None:
        return principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    runtime = current_app.extensions["canopy"]
    try:
        principal = runtime.verifier.verify(token.strip())
    except KeysUnavailable:
        raise ApiError(503, "identity's signing keys are unavailable; try again shortly",
                       headers={"Retry-After": KEYS_RETRY_AFTER}) from None
    except TokenError as exc:
        raise _unauthorized(str(exc)) from None
    # A signature stays valid after its account is disabled, and the verifier remembers tokens it
    # accepted: the service's own directory says, on every request, whether the person may still
    # act. In the projection this is the lookup a permission check about the caller makes anyway.
    if runtime.directory(current_uow().session).account_disabled(principal.person_id):
        raise _unauthorized(ACCOUNT_DISABLED_MESSAGE, code="account_disabled")
    g.canopy_principal = principal
    return principal


def request_permissions() -> Permissions:
    """The caller's permissions for this request, over the service's directory: built once per
    request and handed to the service's access policy (``<package>/access.py``), which needs no
    request of its own."""
    permissions = g.get("canopy_permissions")
    if permissions is None:
        principal = current_principal()
        permissions = Permissions(principal, current_app.extensions["canopy"].directory(current_uow().session))
        g.canopy_permissions = permissions
    return permissions


def authenticated(blueprint, roles: str | Iterable[str] | None = None):
    """``@authenticated(blp)`` under ``@blp.route``: requires a valid token (and one of ``roles``
    at trust scope, if given) and documents the security scheme and the 401/403 answers."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles is not None and not principal.has_role(roles):
                raise ApiError(403, "you do not have permission to do this")
            return view(*args, **kwargs)

        wrapper = blueprint.doc(security=[{BEARER_SCHEME: []}])(wrapper)
        return error_responses(blueprint, 401, *([403] if roles is not None else []))(wrapper)

    return decorate

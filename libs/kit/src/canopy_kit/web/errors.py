"""One error body everywhere: ``{"code", "status", "message", "errors"}``.

``code`` is a stable machine-readable word, ``status`` the HTTP status, ``message`` a sentence
for people, ``errors`` maps each offending field to its reasons (empty when no field is to blame).

This is the one place where a meaning (``canopy_kit.errors``: not found, forbidden, conflict, ...)
becomes an HTTP status. ``ApiError`` is for the web layer's own refusals (a body that is not JSON,
an idempotency key reused); everything below ``api/`` raises by meaning.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import g, jsonify
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from canopy_kit.errors import (
    BadRequest, Conflict, Forbidden, Invalid, NotFound, NotSignedIn, Refusal, Stale, TooLarge, TooManyAttempts,
    Unavailable, UnsupportedMedia,
)

log = logging.getLogger("canopy.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable machine-readable error code"})
    status = fields.Integer(required=True, metadata={"description": "HTTP status"})
    message = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(), required=True,
        metadata={"description": "field name -> reasons; empty when no single field is at fault"},
    )


class ApiError(HTTPException):
    """Raise from anywhere in a request to answer with the error body."""

    def __init__(self, status: int, message: str, *, errors: dict[str, Any] | None = None,
                 code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(description=message)
        self.code = status
        self.error_code = code or CODES.get(status, "error")
        self.errors = errors or {}
        self.extra_headers = headers or {}


class AbsentId(str):
    """A field's reason meaning "this id is not your trust's" (``canopy_kit.web.ids``). Tenancy comes
    before every rule: a request carrying one is answered 404, whatever else is wrong with it."""


def _names_absent_id(errors: Any) -> bool:
    if isinstance(errors, dict):
        return any(_names_absent_id(reasons) for reasons in errors.values())
    if isinstance(errors, list):
        return any(_names_absent_id(reason) for reason in errors)
    return isinstance(errors, AbsentId)


STATUS_OF_MEANING: dict[type[Refusal], int] = {
    BadRequest: 400, NotSignedIn: 401, Forbidden: 403, NotFound: 404, Conflict: 409, Stale: 412, TooLarge: 413,
    UnsupportedMedia: 415, Invalid: 422, TooManyAttempts: 429,
}


def status_of(refusal: Refusal) -> int:
    for kind in type(refusal).__mro__:
        if kind in STATUS_OF_MEANING:
            return STATUS_OF_MEANING[kind]
    return 400  # a Refusal of a new meaning not yet mapped: still the caller's to fix, never a 500


def invalid_fields(messages: dict[Any, Any]) -> Invalid:
    """Every invalid field of a schema a view loaded itself. Names are made strings: a multipart
    form can send a part without a name, which marshmallow reports under ``None``."""
    errors = {str(name): reasons for name, reasons in messages.items()}
    return Invalid("The request has invalid fields: " + ", ".join(sorted(errors)), errors=errors)


def flatten_webargs_messages(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs reports ``{"json": {"email": [...]}}``; clients want ``{"email": [...]}``."""
    flat: dict[str, Any] = {}
    for location, fields_ in messages.items():
        if isinstance(fields_, dict):
            flat.update(fields_)
        else:
            flat[location] = fields_
    return flat


def error_body(status: int, message: str, errors: dict[str, Any] | None = None, code: str | None = None):
    return {"code": code or CODES.get(status, "error"), "status": status, "message": message, "errors": errors or {}}


def error_response(status: int, message: str, errors: dict[str, Any] | None = None, *, code: str | None = None,
                   headers: dict[str, str] | None = None):
    response = jsonify(error_body(status, message, errors, code))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _absent_message(errors: dict[str, Any]) -> str:
    return "The request names what does not exist in your trust: " + ", ".join(
        sorted(name for name, reasons in errors.items() if _names_absent_id(reasons)))


def from_refusal(exc: Refusal):
    if exc.keep_changes:
        uow = g.get("canopy_uow")
        if uow is not None:
            uow.commit()  # the refusal's own record (``Refusal.keep_changes``), before it is answered
    status = status_of(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else {}
    if status == 422 and _names_absent_id(exc.errors):  # a schema a view loaded itself
        return error_response(404, _absent_message(exc.errors), exc.errors)
    return error_response(status, exc.message, exc.errors, code=exc.code, headers=headers)


def from_unavailable(exc: Unavailable):
    log.warning("unavailable: %s", exc.message)
    return error_response(503, exc.message, headers={"Retry-After": str(exc.retry_after)})


def from_http_exception(exc: HTTPException):
    status = exc.code or 500
    if isinstance(exc, ApiError):
        if status == 422 and _names_absent_id(exc.errors):  # a schema a view loaded itself
            return error_response(404, _absent_message(exc.errors), exc.errors, headers=exc.extra_headers)
        return error_response(status, exc.description, exc.errors, code=exc.error_code, headers=exc.extra_headers)
    data = getattr(exc, "data", None) or {}
    errors = flatten_webargs_messages(data.get("messages", {})) if "messages" in data else {}
    message = data.get("message") or exc.description or CODES.get(status, "error")
    if status == 413 and not errors:
        errors, message = {"body": ["is larger than this endpoint accepts"]}, "the request body is too large"
    elif status == 400 and "json" in errors:  # webargs' word for a body that is not JSON
        errors, message = {"body": errors.pop("json")}, "the request body is not valid JSON"
    elif errors and status == 422 and _names_absent_id(errors):
        status, message = 404, _absent_message(errors)
    elif errors and status == 422:
        message = "The request has invalid fields: " + ", ".join(sorted(errors))
    headers = dict(data.get("headers") or {})
    if exc.get_headers():
        headers.update({k: v for k, v in exc.get_headers() if k.lower() != "content-type"})
    return error_response(status, message, errors, headers=headers)

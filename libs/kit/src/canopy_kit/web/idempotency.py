"""``Idempotency-Key`` on POSTs that clients retry: the first response is kept and replayed.

The kept response is written in the request's own transaction, so it exists if and only if the
change does. Two identical requests racing both run; the second one's commit hits the key's
primary key and is rolled back, and it answers with the first one's response.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from functools import wraps

from flask import Response, g, make_response, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from canopy_kit.db.tables import idempotency_keys
from canopy_kit.web.errors import ApiError
from canopy_kit.web.request_uow import current_uow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag", "Content-Type")
# How the document describes the header on every ``@idempotent`` operation (canopy_kit.web.docs).
IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "a key of the client's choosing: the same request sent again with it is answered with "
                   "the first answer (Idempotent-Replayed: true) and changes nothing; a different body is 422",
}


def _scope() -> str:
    principal = g.get("canopy_principal")
    caller = principal.person_id if principal is not None else "anonymous"
    return f"{caller} {request.method} {request.path}"[:300]


def request_fingerprint() -> str:
    """The body as it means, not as it was typed: a retry that serialises the same JSON with its keys
    in another order or other spacing is the same request, and so is a multipart form sent again with
    the same fields and files under another boundary. (The body was checked before the view.)"""
    if request.mimetype == "multipart/form-data":
        return _form_fingerprint()
    body = request.get_data(cache=True)
    if request.is_json and body:
        try:
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            pass  # not JSON after all: compared as sent, and the view refuses it
    return hashlib.sha256(body).hexdigest()


def _form_fingerprint() -> str:
    """Fields and files by name, value and content: the part boundary and order do not count. Each
    file is read and rewound, so the view still reads it whole."""
    digest = hashlib.sha256()
    for name, value in sorted(request.form.items(multi=True)):
        digest.update(json.dumps(["field", name, value]).encode())
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: (item[0], item[1].filename or "")):
        content = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        digest.update(json.dumps(["file", name, upload.filename or "", content]).encode())
    return digest.hexdigest()


def stored_response(session, scope: str, key: str) -> tuple[str, Response] | None:
    row = session.execute(
        select(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
    ).first()
    if row is None:
        return None
    response = Response(row.response_body, status=row.status_code)
    for name, value in json.loads(row.response_headers).items():
        response.headers[name] = value
    response.headers[REPLAYED_HEADER] = "true"
    return row.request_hash, response


def replay_after_conflict(session) -> Response | None:
    """Called after a failed commit: the answer of the request that won the race, if any."""
    pending = g.get("canopy_idempotency")
    if pending is None:
        return None
    found = stored_response(session, *pending[:2])
    return found[1] if found and found[0] == pending[2] else None


def idempotent(view):
    """Decorate a POST view (under ``@blp.route``) to honour ``Idempotency-Key``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():  # it is stored: no NUL
            raise ApiError(400, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters",
                           errors={HEADER: [f"must be 1 to {MAX_KEY_LENGTH} printable characters"]})
        scope = _scope()
        request_hash = request_fingerprint()
        session = current_uow().session
        found = stored_response(session, scope, key)
        if found is not None:
            if found[0] != request_hash:
                raise ApiError(422, f"this {HEADER} was used for a different request",
                               errors={HEADER: ["reused with a different request body"]})
            return found[1]
        g.canopy_idempotency = (scope, key, request_hash)
        response = make_response(view(*args, **kwargs))
        if 200 <= response.status_code < 300:
            try:
                with session.begin_nested():
                    session.execute(idempotency_keys.insert().values(
                        scope=scope, key=key, request_hash=request_hash, status_code=response.status_code,
                        response_body=response.get_data(as_text=True),
                        response_headers=json.dumps({h: response.headers[h] for h in KEPT_HEADERS
                                                     if h in response.headers}),
                        created_at=datetime.now(timezone.utc),
                    ))
            except IntegrityError:
                # The same request won a race (PostgreSQL waited for its commit): undo ours and
                # answer with the winner's response.
                current_uow().rollback()
                replay = replay_after_conflict(session)
                if replay is None:
                    raise
                return replay
        return response

    wrapper._canopy_idempotent = True
    return wrapper

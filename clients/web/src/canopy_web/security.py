"""CSRF on every change and the security headers on every answer.

CSRF: the synchronizer token of the server-side session, in a hidden field of every form or the
``X-CSRF-Token`` header htmx sends (static/app.js), compared in constant time; and a request whose
``Origin`` or ``Sec-Fetch-Site`` says it came from another site is refused before that. The
session cookie is SameSite=Lax as well, so a cross-site POST carries no session at all.
"""
from __future__ import annotations

import hmac

from flask import abort, request

from canopy_web.auth import current_session

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

# No inline script or style anywhere: every script is a file under /static/.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
))

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _same_origin() -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is not None and origin != "null":
        return origin == request.host_url.rstrip("/")
    return True


def check_csrf() -> None:
    if request.method not in UNSAFE_METHODS:
        return
    if not _same_origin():
        abort(403, description="This form was sent from another site.")
    session = current_session()
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    if session is None or not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
        abort(400, description="This form has expired; it has been shown again, please send it once more.")


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # Pages hold personal records: never kept by the browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
    return response

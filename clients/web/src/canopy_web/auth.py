"""Who the browser is: its session, the signed-in person's tokens, and the one way pages call the
APIs as that person (refreshing the access token once per session at a time)."""
from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import jwt
from flask import current_app, g, make_response, redirect, request, url_for

from canopy_kit.auth.principal import Grant, Principal
from canopy_kit.clock import now
from canopy_web.api import UNAVAILABLE, Answer, ApiError, Gateway
from canopy_web.sessions import SessionStore, Tokens, WebSession

COOKIE = "canopy_session"
REFRESH_MARGIN = timedelta(seconds=30)  # refresh a token this close to its end before using it
REFRESH_HOLD = timedelta(seconds=20)  # how long one request's claim on the refresh holds
REFRESH_WAIT_SECONDS = 20.0


class SessionEnded(Exception):
    """The person must sign in again (refresh refused, session gone); pages send them to sign-in
    and back to where they were."""


def store() -> SessionStore:
    return current_app.extensions["canopy_web"].sessions


def gateway() -> Gateway:
    return current_app.extensions["canopy_web"].gateway


def load_session() -> None:
    g.web_session = store().open(request.cookies.get(COOKIE))
    g.new_cookie = None


def current_session() -> WebSession | None:
    return g.get("web_session")


def ensure_session() -> WebSession:
    """The browser's session, started anonymous when it has none (forms need its CSRF token)."""
    if g.get("web_session") is None:
        key, g.web_session = store().start()
        g.new_cookie = key
    return g.web_session


def begin_signed_in(person_id: str, tokens: Tokens) -> None:
    key, g.web_session = store().sign_in(current_session(), person_id, tokens)
    g.new_cookie = key


def end_session() -> None:
    session = current_session()
    if session is not None:
        store().end(session)
    g.web_session = None
    g.new_cookie = ""  # "": clear the cookie


def tokens_of(body: dict) -> Tokens:
    return Tokens(body["access_token"], body["refresh_token"], now() + timedelta(seconds=int(body["expires_in"])))


def subject_of(access_token: str) -> str:
    return str(jwt.decode(access_token, options={"verify_signature": False})["sub"])


def principal() -> Principal:
    """The signed-in person as their access token says. The token came straight from identity over
    the gateway, so it is read here without checking its signature: only to choose what pages to
    offer. Every service checks the token itself before it answers."""
    cached = g.get("principal")
    if cached is None:
        session = current_session()
        claims = jwt.decode(session.tokens.access, options={"verify_signature": False})
        cached = Principal(person_id=str(claims["sub"]), trust_id=str(claims["trust_id"]),
                           grants=tuple(Grant.from_claim(claim) for claim in claims.get("grants", [])))
        g.principal = cached
    return cached


def forwarded_headers() -> dict[str, str]:
    """Who the request is for, passed on: the browser's address (for the gateway's per-client
    sign-in limit and identity's per-client lockout), the host and scheme it used (for the links
    identity mails) and the request id."""
    headers = {"X-Forwarded-For": request.remote_addr or "", "X-Forwarded-Host": request.host,
               "X-Forwarded-Proto": request.scheme}
    if request.headers.get("X-Request-ID"):
        headers["X-Request-ID"] = request.headers["X-Request-ID"][:128]
    return headers


def _access_token(force: bool = False) -> str:
    session = current_session()
    if session is None or not session.signed_in:
        raise SessionEnded()
    if force:
        newer = _refreshed_meanwhile(session)
        if newer is not None:
            return newer
    elif session.tokens.access_expires_at - now() > REFRESH_MARGIN:
        return session.tokens.access
    return _refresh_once(session)


def _refreshed_meanwhile(session: WebSession) -> str | None:
    """The access token another request's refresh has stored since ``session`` was read, taken
    up for this request; None if there has been none. A session ended meanwhile ends here."""
    reloaded = store().reload(session)
    if reloaded is None or not reloaded.signed_in:
        raise SessionEnded()
    if reloaded.generation == session.generation:
        return None
    return _use(reloaded)


def _use(session: WebSession) -> str:
    """This request goes on with ``session``'s tokens (and the principal read from them)."""
    g.web_session = session
    g.pop("principal", None)
    return session.tokens.access


def _refresh_once(session: WebSession) -> str:
    """Refresh, single-flight: the request that claims this generation refreshes; any other waits
    for the next generation. Two refreshes of one token would revoke the whole family."""
    if store().claim_refresh(session, REFRESH_HOLD):
        return _refresh_as_claimant(session)
    deadline = time.monotonic() + REFRESH_WAIT_SECONDS
    pause = 0.02
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
        newer = _refreshed_meanwhile(session)
        if newer is not None:
            return newer
        if store().claim_refresh(session, REFRESH_HOLD):  # the claimant gave up or died: take over
            return _refresh_as_claimant(session)
    raise ApiError(UNAVAILABLE, "Signing you in again is taking too long; try again shortly.", "unavailable")


def _refresh_as_claimant(session: WebSession) -> str:
    try:
        answer = gateway().call("POST", "identity", "/v1/auth/refresh",
                                json={"refresh_token": session.tokens.refresh}, forwarded=forwarded_headers())
    except ApiError as exc:
        if exc.status in (400, 401, 403, 422):
            store().end(session)
            raise SessionEnded() from None
        store().release_refresh(session)
        raise
    return _use(store().refreshed(session, tokens_of(answer.json())))


def call(method: str, service: str, path: str, **options: Any) -> Answer:
    """Call an API as the signed-in person. A refused token is refreshed once and the call repeated
    (an Idempotency-Key makes a repeated create one change)."""
    answer = None
    try:
        answer = gateway().call(method, service, path, token=_access_token(), forwarded=forwarded_headers(),
                                **options)
    except ApiError as exc:
        if exc.status != 401:
            raise
        answer = gateway().call(method, service, path, token=_access_token(force=True),
                                forwarded=forwarded_headers(), **options)
    return answer


def get(service: str, path: str, **options: Any) -> Any:
    return call("GET", service, path, **options).json()


def post(service: str, path: str, **options: Any) -> Any:
    return call("POST", service, path, **options).json()


def safe_next(target: str | None) -> str | None:
    """A place to return to after sign-in: a path on this site only, never another origin."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def to_sign_in():
    """Back to sign-in, then to this page. A partial (htmx) request redirects the whole page."""
    target = request.full_path.rstrip("?") if request.method == "GET" else (request.referrer and
                                                                           urlsplit(request.referrer).path)
    location = url_for("account.sign_in", next=safe_next(target) or None)
    if request.headers.get("HX-Request"):
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location)


def signed_in(view):
    """The page needs a signed-in person; otherwise sign-in first, then back here."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        session = current_session()
        if session is None or not session.signed_in:
            return to_sign_in()
        return view(*args, **kwargs)
    return wrapper

"""``create_web_app()``: the web client's Flask app, built by its caller (gunicorn's worker, the
embedded gateway, a test), never at import time."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from sqlalchemy import Engine, text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.migrations import migrate
from canopy_kit.metrics import exposition, metrics
from canopy_kit.web.app import end_request_context, finish_request, start_request
from canopy_web import auth, pages, security, views
from canopy_web.api import ApiError, Gateway
from canopy_web.sessions import SessionStore
from canopy_web.settings import WebSettings, load_settings

log = logging.getLogger("canopy.web")

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SERVICE_NAME = "web"  # as the metrics and logs name this process


@dataclass(frozen=True)
class WebKit:
    settings: WebSettings
    engine: Engine
    sessions: SessionStore
    gateway: Gateway


def migrations_dir() -> Path:
    return MIGRATIONS


def migrate_web(settings: WebSettings | None = None) -> None:
    """Create or upgrade the sessions table (the launchers call this before the app serves)."""
    settings = settings or load_settings()
    engine = create_engine_for(settings.database_url)
    try:
        migrate(engine, MIGRATIONS, kit_tables=False)
    finally:
        engine.dispose()


def create_web_app(settings: WebSettings | None = None, *, testing: bool = False, gateway_app=None) -> Flask:
    """``gateway_app``: the embedded gateway's WSGI app, called in-process (``Gateway``)."""
    settings = settings or load_settings()
    app = Flask("canopy_web")
    app.config.update(TESTING=testing, MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024)
    engine = create_engine_for(settings.database_url)
    app.extensions["canopy_web"] = WebKit(
        settings=settings, engine=engine,
        sessions=SessionStore(engine, settings.sealing_secret(), idle=timedelta(minutes=settings.idle_minutes),
                              lifetime=timedelta(hours=settings.session_hours)),
        gateway=Gateway(settings.api_url, settings.api_timeout_seconds, wsgi_app=gateway_app,
                        source_address=settings.api_source_address))
    metrics()  # registered before any request thread can race to do it
    views.install_template_helpers(app)
    pages.register(app)
    app.add_url_rule("/health/live", "live", lambda: jsonify(status="ok"))
    app.add_url_rule("/health/ready", "ready", _ready)
    app.add_url_rule("/metrics", "metrics", _metrics)
    app.before_request(start_request)
    app.before_request(auth.load_session)
    app.before_request(security.check_csrf)
    app.after_request(_set_cookie)
    app.after_request(security.add_security_headers)
    app.after_request(lambda response: finish_request(response, SERVICE_NAME))
    app.teardown_request(end_request_context)
    app.register_error_handler(auth.SessionEnded, lambda _exc: auth.to_sign_in())
    app.register_error_handler(ApiError, _api_error_page)
    app.register_error_handler(HTTPException, _http_error_page)
    app.register_error_handler(Exception, _internal_error_page)
    if settings.trusted_proxy_hops:
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def create_embedded_web_app(environ=None, *, gateway_app, trusted_proxy_hops: int):
    """The client as the embedded gateway serves it at ``/``, calling the APIs in-process."""
    settings = load_settings(environ).with_overrides(trusted_proxy_hops=trusted_proxy_hops)
    return create_web_app(settings, gateway_app=gateway_app)


def _set_cookie(response):
    key = g.get("new_cookie")
    if key is None:
        return response
    kit = _kit()
    secure = {"on": True, "off": False}.get(kit.settings.cookie_secure, request.is_secure)
    if key == "":
        response.delete_cookie(auth.COOKIE, path="/", secure=secure, httponly=True, samesite="Lax")
    else:
        response.set_cookie(auth.COOKIE, key, max_age=kit.settings.session_hours * 3600, path="/",
                            secure=secure, httponly=True, samesite="Lax")
    return response


def _kit() -> WebKit:
    return current_app.extensions["canopy_web"]


def _ready():
    try:
        with _kit().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        response = jsonify(status="unavailable", checks={"database": f"unavailable: {type(exc).__name__}"})
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return jsonify(status="ok", checks={"database": "ok"})


def _metrics():
    body, content_type = exposition()
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    return response


def _error_page(status: int, title: str, message: str, retry_after: str | None = None):
    if request.headers.get("HX-Request"):
        response = make_response(render_template("partials/error.html", title=title, message=message), status)
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
    else:
        response = make_response(render_template("error.html", title=title, message=message, status=status), status)
    if retry_after:
        response.headers["Retry-After"] = retry_after
    return response


ERROR_TITLES = {400: "That did not work", 403: "Not yours to see", 404: "Not found", 405: "Not here",
                409: "Changed meanwhile", 413: "Too large", 429: "Too many attempts",
                503: "Unavailable for a moment"}


def _api_error_page(exc: ApiError):
    status = exc.status if 400 <= exc.status < 600 else 502
    return _error_page(status, ERROR_TITLES.get(status, "Something went wrong"), exc.message, exc.retry_after)


def _http_error_page(exc: HTTPException):
    status = exc.code or 500
    message = exc.description if status < 500 else "Something went wrong on our side; try again shortly."
    if status == 404:
        message = "There is no such page. It may have moved, or the link may be wrong."
    return _error_page(status, ERROR_TITLES.get(status, "Something went wrong"), message)


def _internal_error_page(exc: Exception):
    log.exception("unhandled error")
    return _error_page(500, "Something went wrong", "Something went wrong on our side; try again shortly.")

"""The app factory every service uses: flask-smorest with OpenAPI 3 at ``/openapi.json``, the one
error body, request ids, one transaction per request, health and metrics."""
from __future__ import annotations

import logging
import time
import uuid

import flask_smorest
from flask import Flask, Response, current_app, g, make_response, request
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from canopy_kit import context
from canopy_kit.metrics import exposition, metrics
from canopy_kit.service import Runtime
from canopy_kit.web.access_log import access_log_blueprint
from canopy_kit.web.bodies import refuse_unmeasured_oversized_body
from canopy_kit.web.browsable_docs import docs_blueprint
from canopy_kit.web.docs import OperationConventions
from canopy_kit.errors import Refusal, Unavailable
from canopy_kit.web.errors import (
    ApiError, ErrorSchema, error_response, from_http_exception, from_refusal, from_unavailable,
)
from canopy_kit.web.health import health_blueprint, observe_broker
from canopy_kit.web.idempotency import replay_after_conflict
from canopy_kit.web.inputs import install_input_rules, screen_request
from canopy_kit.web.paths import register_path_converters
from canopy_kit.web.request_uow import close_request_uow

log = logging.getLogger("canopy.web")

MAX_BODY_BYTES = 1 * 1024 * 1024
REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_HEADER = "X-Correlation-ID"


class CanopyApi(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return from_http_exception(error)


class ServiceFlask(Flask):
    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        uow = g.get("canopy_uow")
        if uow is not None and response.status_code < 400:
            try:
                uow.commit()
            except IntegrityError:
                uow.rollback()
                replay = replay_after_conflict(uow.session)
                if replay is not None:
                    return replay
                raise
        return response


def start_request() -> None:
    g.canopy_started = time.perf_counter()
    request_id = (request.headers.get(REQUEST_ID_HEADER) or "")[:128] or uuid.uuid4().hex
    correlation = (request.headers.get(CORRELATION_HEADER) or "")[:128] or request_id
    g.canopy_context = context.bound(request_id=request_id, correlation_id=correlation, causation_id=None)
    g.canopy_context.__enter__()
    g.canopy_request_id = request_id


def finish_request(response: Response, service: str) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("canopy_request_id", "")
    # The request's transaction has committed: counting it must never turn its answer into a 500.
    try:
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        m = metrics()
        m.http_requests.labels(service, request.method, route, str(response.status_code)).inc()
        started = g.get("canopy_started")
        if started is not None:
            m.http_latency.labels(service, request.method, route).observe(time.perf_counter() - started)
    except Exception:
        log.exception("could not count the request")
    return response


def end_request_context(_exc=None) -> None:
    bound = g.pop("canopy_context", None)
    if bound is not None:
        bound.__exit__(None, None, None)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(IntegrityError)
    def conflict(exc):
        log.info("integrity conflict: %s", exc.orig)
        return error_response(409, "the change conflicts with the current state; reload and try again")

    @app.errorhandler(OperationalError)
    def database_unavailable(exc):
        log.error("database unavailable: %s", exc)
        return error_response(503, "the database is unavailable; try again shortly", headers={"Retry-After": "5"})

    @app.errorhandler(DBAPIError)
    def database_error(exc):
        log.exception("database error")
        return error_response(500, "internal error")

    @app.errorhandler(Exception)
    def internal(exc):
        if isinstance(exc, HTTPException):
            return from_http_exception(exc)
        log.exception("unhandled error")
        return error_response(500, "internal error")


def _metrics_view():
    observe_broker(current_app.extensions["canopy"])  # fresh at every scrape, not only at probes
    body, content_type = exposition()
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    return response


def create_service_app(runtime: Runtime, *, testing: bool = False) -> Flask:
    spec = runtime.spec
    app = ServiceFlask(spec.name)
    install_input_rules(app)
    app.config.update(
        TESTING=testing,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        API_TITLE=spec.title,
        API_VERSION=spec.version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": spec.api_description},
            # Relative to the document: the service's root, or /api/<service>/ through a gateway, so
            # the browsable docs' "Try it out" and generated clients call the right path either way.
            "servers": [{"url": ".", "description": "where this document is served from"}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    )
    app.extensions["canopy"] = runtime
    metrics()  # registered before any request thread can race to do it
    api = CanopyApi(app, spec_kwargs={"extra_plugins": [OperationConventions(app)]})
    register_path_converters(app, api)
    for blueprint in spec.blueprints():
        api.register_blueprint(blueprint)
    api.register_blueprint(access_log_blueprint())
    app.register_blueprint(health_blueprint())
    app.register_blueprint(docs_blueprint({spec.name: "../openapi.json"}))  # its own, beside /openapi.json
    app.add_url_rule("/metrics", "metrics", _metrics_view)
    _register_error_handlers(app)
    app.register_error_handler(ApiError, from_http_exception)
    app.register_error_handler(Refusal, from_refusal)
    app.register_error_handler(Unavailable, from_unavailable)
    app.before_request(start_request)
    app.before_request(refuse_unmeasured_oversized_body)
    app.before_request(screen_request)
    app.after_request(lambda response: finish_request(response, spec.name))
    app.teardown_request(close_request_uow)
    app.teardown_request(end_request_context)
    if testing:  # every answer a test sees is checked against the document (canopy_kit.testing.openapi)
        from canopy_kit.testing.openapi import DocumentedClient

        app.test_client_class = DocumentedClient
    if runtime.settings.trusted_proxy_hops:
        # Behind the gateway every client would have the gateway's address (one client's failed
        # sign-ins would lock out everyone): believe exactly the hops that are ours, no more.
        hops = runtime.settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app

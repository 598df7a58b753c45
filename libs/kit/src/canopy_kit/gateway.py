"""The embedded gateway: every installed service's API under ``/api/<service>/`` in one process,
as nginx routes them in production (prefix stripped), and the browsable documentation of all of
them at ``/docs/``. Unknown paths get the JSON error body."""
from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from canopy_kit.service import Runtime, discover_services
from canopy_kit.settings import Settings
from canopy_kit.web.app import create_service_app
from canopy_kit.web.browsable_docs import DOCS_PATH, docs_blueprint, service_documents
from canopy_kit.web.errors import error_response
from canopy_kit.web.forwarding import GATEWAY_HOPS, EdgeForwarding


def create_gateway(environ=None):
    services = discover_services()
    mounts = {}
    for name, spec in services.items():
        settings = Settings.from_env(name, environ).with_overrides(trusted_proxy_hops=GATEWAY_HOPS)
        runtime = Runtime(spec, settings)
        mounts[f"/api/{name}"] = create_service_app(runtime)

    front = Flask("canopy-gateway")

    @front.get("/")
    def index():
        return jsonify(name="Canopy", docs=DOCS_PATH, services=service_documents(services))

    front.register_blueprint(docs_blueprint(service_documents(services)))

    @front.errorhandler(404)
    def unknown(_exc):
        return error_response(404, "no such path; services live under /api/<service>/")

    @front.errorhandler(405)
    def not_allowed(_exc):
        return error_response(405, "method not allowed")

    front.wsgi_app = EdgeForwarding(DispatcherMiddleware(front.wsgi_app, mounts))
    return front

"""The embedded gateway: every installed service's API under ``/api/<service>/`` in one process,
as nginx routes them in production (prefix stripped), the browsable documentation of all of
them at ``/docs/``, and the web client (when installed) at ``/``. Unknown API paths get the JSON
error body."""
from __future__ import annotations

from importlib.metadata import entry_points

from flask import Flask, jsonify
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from canopy_kit.service import Runtime, discover_services
from canopy_kit.settings import Settings
from canopy_kit.web.app import create_service_app
from canopy_kit.web.browsable_docs import DOCS_PATH, docs_blueprint, service_documents
from canopy_kit.web.errors import error_response
from canopy_kit.web.forwarding import GATEWAY_HOPS, EdgeForwarding

CLIENTS_GROUP = "canopy.clients"


def _client_entry(name: str):
    found = [entry for entry in entry_points(group=CLIENTS_GROUP) if entry.name == name]
    return found[0].load() if found else None


def migrate_web_client() -> bool:
    """Create or upgrade the web client's sessions database; False when no client is installed."""
    migrate = _client_entry("web-migrate")
    if migrate is None:
        return False
    migrate()
    return True


def web_client_factory():
    """The installed web client's embedded app factory (the ``canopy.clients`` entry point ``web``:
    ``factory(environ, gateway_app=..., trusted_proxy_hops=...)``), or None when it is not installed."""
    return _client_entry("web")


def _api_front(services) -> Flask:
    """What the gateway answers itself: the docs, and JSON for any path no service owns."""
    front = Flask("canopy-gateway")

    @front.get("/api/")
    def index():
        return jsonify(name="Canopy", docs=DOCS_PATH, services=service_documents(services))

    front.register_blueprint(docs_blueprint(service_documents(services)))

    @front.errorhandler(404)
    def unknown(_exc):
        return error_response(404, "no such path; services live under /api/<service>/")

    @front.errorhandler(405)
    def not_allowed(_exc):
        return error_response(405, "method not allowed")

    return front


def create_gateway(environ=None, *, with_web: bool = True):
    services = discover_services()
    mounts = {}
    for name, spec in services.items():
        settings = Settings.from_env(name, environ).with_overrides(trusted_proxy_hops=GATEWAY_HOPS)
        runtime = Runtime(spec, settings)
        mounts[f"/api/{name}"] = create_service_app(runtime)
    front = _api_front(services)
    answered_here = _mounted_at_root(front.wsgi_app)
    mounts["/api"] = answered_here  # /api/ itself, and /api/<no such service>/...: the JSON 404
    mounts[DOCS_PATH.rstrip("/")] = answered_here
    apis = EdgeForwarding(DispatcherMiddleware(front.wsgi_app, mounts))
    factory = web_client_factory() if with_web else None
    edge = Flask("canopy-gateway-edge")  # holds the composition (and gives tests a test client)
    if factory is None:
        edge.wsgi_app = apis
        return edge
    # The web client calls the APIs through this same gateway, in-process, as the browser's own
    # request would (its address, host and scheme): see canopy_web.api.Gateway.
    web = factory(environ, gateway_app=apis, trusted_proxy_hops=GATEWAY_HOPS)
    edge.wsgi_app = EdgeForwarding(DispatcherMiddleware(web.wsgi_app, mounts))
    return edge


def _mounted_at_root(app):
    """A mount that sees the whole path, as if not mounted (the docs blueprint routes /docs/...)."""
    def call(environ, start_response):
        environ = dict(environ)
        environ["PATH_INFO"] = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        environ["SCRIPT_NAME"] = ""
        return app(environ, start_response)
    return call

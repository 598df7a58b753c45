"""Who the client is, behind a gateway.

A gateway is one proxy hop: it states the client it saw in ``X-Forwarded-For`` and ``X-Real-IP``,
replacing whatever the client sent (a client could otherwise name any address it liked), and each
service believes exactly as many hops as the settings' ``trusted_proxy_hops`` say (werkzeug's
``ProxyFix`` in the app factory). nginx does this in production; ``EdgeForwarding`` does it for
the embedded gateway.
"""
from __future__ import annotations

GATEWAY_HOPS = 1  # what a service behind either gateway sets trusted_proxy_hops to


class EdgeForwarding:
    """WSGI middleware for the outermost hop: the forwarding headers describe this connection."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        client = environ.get("REMOTE_ADDR", "")
        environ["HTTP_X_FORWARDED_FOR"] = client
        environ["HTTP_X_REAL_IP"] = client
        environ["HTTP_X_FORWARDED_PROTO"] = environ.get("wsgi.url_scheme", "http")
        environ["HTTP_X_FORWARDED_HOST"] = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        return self.app(environ, start_response)

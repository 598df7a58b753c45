"""The client address behind a gateway: the app believes exactly its trusted hops of
X-Forwarded-For, and the embedded gateway states the client itself, replacing what it sent."""
from flask import request

from canopy_kit.web.app import create_service_app
from canopy_kit.web.forwarding import EdgeForwarding


def _whoami_client(runtime):
    app = create_service_app(runtime)
    app.add_url_rule("/whoami", "whoami", lambda: {"remote_addr": request.remote_addr, "scheme": request.scheme})
    return app.test_client()


def _who(client, **headers):
    return client.get("/whoami", environ_base={"REMOTE_ADDR": "10.0.0.2"}, headers=headers).json


def test_without_trusted_hops_forwarding_headers_are_ignored(probe_factory, sqlite_url):
    client = _whoami_client(probe_factory(sqlite_url))
    assert _who(client, **{"X-Forwarded-For": "203.0.113.9"})["remote_addr"] == "10.0.0.2"


def test_one_trusted_hop_believes_only_the_address_the_gateway_added(probe_factory, sqlite_url):
    client = _whoami_client(probe_factory(sqlite_url, trusted_proxy_hops=1))
    who = _who(client, **{"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https"})
    assert who == {"remote_addr": "198.51.100.7", "scheme": "https"}
    assert _who(client)["remote_addr"] == "10.0.0.2"  # a probe straight to the API


def test_the_edge_replaces_what_the_client_claims():
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("204 No Content", [])
        return []

    environ = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_X_REAL_IP": "203.0.113.9",
               "HTTP_HOST": "canopy.example.org", "wsgi.url_scheme": "http"}
    EdgeForwarding(app)(environ, lambda *_: None)
    assert (seen["HTTP_X_FORWARDED_FOR"], seen["HTTP_X_REAL_IP"]) == ("198.51.100.7", "198.51.100.7")
    assert (seen["HTTP_X_FORWARDED_PROTO"], seen["HTTP_X_FORWARDED_HOST"]) == ("http", "canopy.example.org")

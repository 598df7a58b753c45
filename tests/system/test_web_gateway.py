"""The nginx gateway with the web client behind it, on its own: the rendered configuration in front
of a stand-in client and a stand-in API, so every rule about the client's paths is checked quickly
and exactly. Everything that is not /api/ or /docs/ reaches the client; its security headers pass
through and nginx's own are not doubled; the browser's address, host and scheme are believed from
the client's own address only; uploads up to the client's limit pass; the sign-in form is limited
per browser; and what nginx answers itself on the client's paths is a page, not JSON."""
from __future__ import annotations

import http.client
import json
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from canopy_kit.production.gateway import local_config, write_local_gateway
from canopy_kit.production.topology import free_port

pytestmark = pytest.mark.integration

WEB_SOURCE = "127.0.2.1"  # where the stand-in client's calls to the gateway come from
BROWSER, OTHER_BROWSER = "127.0.0.5", "127.0.0.6"
WEB_LIMIT = 3 * 1024 * 1024
CLIENTS_CSP = "default-src 'self'"


class StandIn(BaseHTTPRequestHandler):
    """Echoes the path and the forwarding headers that reached it, with headers of its own the way
    the web client sets them."""

    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps({"path": self.path, "body_length": len(body), **{
            name: self.headers.get(name) for name in ("X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
                                                      "X-Request-ID")}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Content-Security-Policy", CLIENTS_CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Request-ID", "the-upstreams-echo")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, nginx_binary, wait):
    folder = tmp_path_factory.mktemp("web-gateway")
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stand_in = f"127.0.0.1:{server.server_address[1]}"
    port = free_port()
    config = local_config(folder, upstreams={"identity": stand_in}, listen=f"127.0.0.1:{port}",
                          web_root=folder / "unused", logs=folder / "logs", login_rate_per_minute=6, login_burst=2,
                          web_upstream=stand_in, web_max_body_bytes=WEB_LIMIT, trusted_proxies=(WEB_SOURCE,))
    nginx = subprocess.Popen(write_local_gateway(nginx_binary, folder, config, []),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait(lambda: ask(port, "GET", "/healthz")[0] == 200, timeout=10, what="nginx")
        yield port
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        server.shutdown()


def ask(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
        source: str = BROWSER):
    """(status, every header as sent, in order, body), from the ``source`` address."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, reply.getheaders(), reply.read()
    finally:
        connection.close()


def values(headers, name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


def test_every_path_but_the_apis_and_their_documents_is_the_clients(gateway):
    for path in ("/", "/sign-in?next=/", "/portfolio/activities/42", "/static/app.css"):
        status, _, body = ask(gateway, "GET", path)
        assert status == 200 and json.loads(body)["path"] == path, path
    status, _, body = ask(gateway, "GET", "/api/identity/v1/me")
    assert status == 200 and json.loads(body)["path"] == "/v1/me"  # the service, its prefix stripped
    status, headers, body = ask(gateway, "GET", "/docs/")
    assert status == 200 and values(headers, "Content-Type")[0].startswith("text/html") and b"swagger" in body
    for nginx_own in ("/api/", "/api/nothing/here", "/metrics", "/api/identity/metrics"):
        status, headers, body = ask(gateway, "GET", nginx_own)
        assert status == 404 and json.loads(body)["code"] == "not_found", nginx_own


def test_the_clients_headers_pass_and_nginxs_are_not_doubled(gateway):
    status, headers, body = ask(gateway, "GET", "/", headers={"X-Request-ID": "browser-7"})
    assert status == 200
    assert values(headers, "Content-Security-Policy") == [CLIENTS_CSP]
    assert values(headers, "X-Content-Type-Options") == ["nosniff"]
    assert values(headers, "X-Request-ID") == ["browser-7"] and json.loads(body)["X-Request-ID"] == "browser-7"
    assert values(headers, "Access-Control-Allow-Origin") == []  # pages are not for other origins


def test_the_browser_is_believed_only_from_the_clients_address(gateway):
    claims = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Host": "school.example:8443",
              "X-Forwarded-Proto": "https"}
    # The client, passing on a browser's request to an API: believed.
    _, _, body = ask(gateway, "GET", "/api/identity/v1/auth/whoami", headers=claims, source=WEB_SOURCE)
    seen = json.loads(body)
    assert (seen["X-Forwarded-For"], seen["X-Forwarded-Host"], seen["X-Forwarded-Proto"]) == (
        "198.51.100.7", "school.example:8443", "https")
    # A browser claiming the same: it is itself, with the host (and port) it used.
    for path in ("/api/identity/v1/auth/whoami", "/"):
        _, _, body = ask(gateway, "GET", path, headers=claims)
        seen = json.loads(body)
        assert (seen["X-Forwarded-For"], seen["X-Forwarded-Host"], seen["X-Forwarded-Proto"]) == (
            BROWSER, f"127.0.0.1:{gateway}", "http"), path


def test_uploads_up_to_the_clients_limit_pass_and_larger_get_a_page(gateway):
    status, _, body = ask(gateway, "POST", "/portfolio/evidence", b"x" * (2 * 1024 * 1024),
                          {"Content-Type": "application/octet-stream"})
    assert status == 200 and json.loads(body)["body_length"] == 2 * 1024 * 1024  # over the APIs' 1 MiB
    status, headers, body = ask(gateway, "POST", "/portfolio/evidence", b"x" * (WEB_LIMIT + 1),
                                {"Content-Type": "application/octet-stream"})
    assert status == 413 and values(headers, "Content-Type")[0].startswith("text/html")
    assert b"<h1>Too large</h1>" in body and values(headers, "X-Request-ID")
    assert values(headers, "X-Content-Type-Options") == ["nosniff"]


def test_the_sign_in_form_is_limited_per_browser_and_showing_it_is_free(gateway):
    for _ in range(6):
        assert ask(gateway, "GET", "/sign-in", source=OTHER_BROWSER)[0] == 200
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    sent = [ask(gateway, "POST", "/sign-in", b"email=a%40b.org&password=x", form, source=OTHER_BROWSER)
            for _ in range(5)]
    assert [status for status, _, _ in sent][:3] == [200, 200, 200] and sent[-1][0] == 429, [s for s, _, _ in sent]
    status, headers, body = sent[-1]
    assert values(headers, "Content-Type")[0].startswith("text/html") and b"Too many attempts" in body
    assert values(headers, "Retry-After") == ["10"]
    assert ask(gateway, "POST", "/sign-in", b"email=c%40d.org&password=y", form)[0] == 200  # another browser


def test_a_client_that_is_down_is_a_page_with_retry_after(tmp_path, nginx_binary, wait):
    port = free_port()
    nowhere = f"127.0.0.1:{free_port()}"
    config = local_config(tmp_path, upstreams={"identity": nowhere}, listen=f"127.0.0.1:{port}",
                          web_root=tmp_path / "unused", logs=tmp_path / "logs", web_upstream=nowhere,
                          web_max_body_bytes=WEB_LIMIT)
    nginx = subprocess.Popen(write_local_gateway(nginx_binary, tmp_path, config, []),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait(lambda: ask(port, "GET", "/healthz")[0] == 200, timeout=10, what="nginx")
        status, headers, body = ask(port, "GET", "/")
        assert status == 503 and values(headers, "Content-Type")[0].startswith("text/html")
        assert b"Unavailable for a moment" in body and values(headers, "Retry-After") == ["5"]
        status, _, body = ask(port, "GET", "/api/identity/v1/me")
        assert status == 503 and json.loads(body)["code"] == "unavailable"  # the APIs' answer stays JSON
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)

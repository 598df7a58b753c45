"""The nginx gateway on its own: the rendered configuration in front of a stand-in service, so every
rule can be checked quickly and exactly, including the bad cases (unknown path, body over the
limit, too many logins, a stalled client, an upstream that is down or slow). Each answer nginx
makes itself must be the platform's JSON error body with the right status, and no stalled client
may hold up anybody else."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from canopy_kit.production.gateway import local_config, write_local_gateway
from canopy_kit.production.topology import free_port

pytestmark = pytest.mark.integration

MOBILE_ORIGIN = "capacitor://localhost"
CLIENT_TIMEOUT = 2
UPLOAD_LIMIT = 3 * 1024 * 1024  # a service that takes uploads says so in its spec
UPSTREAM_TIMEOUT = 2


class StandIn(BaseHTTPRequestHandler):
    """Echoes what reached it; ``/slow`` answers too late, ``/busy`` is a service's own 503."""

    protocol_version = "HTTP/1.1"
    seen: list[dict] = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        StandIn.seen.append({"path": self.path, "headers": dict(self.headers), "body_length": len(body)})
        if self.path == "/slow":
            time.sleep(UPSTREAM_TIMEOUT + 1)
        status, extra = (503, {"Retry-After": "7"}) if self.path == "/busy" else (200, {})
        payload = json.dumps({"path": self.path, "method": self.command, "body_length": len(body),
                              "request_id": self.headers.get("X-Request-ID")}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Request-ID", "the-service-echo")  # nginx must show its own, once
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = _answer

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, nginx_binary, wait):
    folder = tmp_path_factory.mktemp("gateway")
    web = folder / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>Canopy</title>")
    (web / "assets" / "app.js").write_text("console.log('canopy')")
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service = f"127.0.0.1:{server.server_address[1]}"
    port = free_port()
    upstreams = {"identity": service, "echo": service, "uploads": service, "gone": f"127.0.0.1:{free_port()}"}
    config = local_config(folder, upstreams=upstreams, listen=f"127.0.0.1:{port}", web_root=web, logs=folder / "logs",
                          client_timeout_seconds=CLIENT_TIMEOUT, upstream_timeout_seconds=UPSTREAM_TIMEOUT,
                          login_rate_per_minute=6, login_burst=2, body_limits=(("uploads", UPLOAD_LIMIT),))
    nginx = subprocess.Popen(write_local_gateway(nginx_binary, folder, config, [MOBILE_ORIGIN]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait(lambda: _get_status(f"{base}/healthz") == 200, timeout=10, what="nginx")
        yield base
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        server.shutdown()


def _get_status(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status


def assert_error(reply, status: int, code: str):
    assert reply.status == status, (reply.status, reply.body[:300])
    assert reply.header("Content-Type") == "application/json"
    body = reply.json()
    assert body["status"] == status and body["code"] == code and body["errors"] == {}
    assert reply.header("X-Request-ID")


def test_routes_each_service_with_its_prefix_stripped(gateway, http_call):
    reply = http_call("GET", f"{gateway}/api/echo/v1/things?page=2")
    assert reply.status == 200
    assert reply.json()["path"] == "/v1/things?page=2"
    assert http_call("POST", f"{gateway}/api/identity/v1/people", {"a": 1}).json()["path"] == "/v1/people"


def test_request_id_is_made_or_kept_sent_upstream_and_returned_once(gateway, http_call):
    made = http_call("GET", f"{gateway}/api/echo/v1/x")
    assert len(made.header("X-Request-ID")) == 32 and made.json()["request_id"] == made.header("X-Request-ID")
    kept = http_call("GET", f"{gateway}/api/echo/v1/x", headers={"X-Request-ID": "mobile-42.retry:1"})
    assert kept.header("X-Request-ID") == "mobile-42.retry:1" and kept.json()["request_id"] == "mobile-42.retry:1"
    odd = http_call("GET", f"{gateway}/api/echo/v1/x", headers={"X-Request-ID": "no spaces or <tags>"})
    assert odd.header("X-Request-ID") != "no spaces or <tags>" and len(odd.header("X-Request-ID")) == 32


def test_unknown_service_and_unknown_path_are_json_404(gateway, http_call):
    assert_error(http_call("GET", f"{gateway}/api/no-such-service/v1/x"), 404, "not_found")
    assert_error(http_call("GET", f"{gateway}/api/echo/metrics"), 404, "not_found")


def test_body_over_the_limit_is_refused_before_the_service_sees_it(gateway, http_call):
    StandIn.seen.clear()
    reply = http_call("POST", f"{gateway}/api/echo/v1/upload", b"x" * (1024 * 1024 + 1),
                      headers={"Content-Type": "application/octet-stream"})
    assert_error(reply, 413, "payload_too_large")
    assert StandIn.seen == []
    assert http_call("POST", f"{gateway}/api/echo/v1/upload", b"x" * (512 * 1024),
                     headers={"Content-Type": "application/octet-stream"}).json()["body_length"] == 512 * 1024
    upload = http_call("POST", f"{gateway}/api/uploads/v1/evidence", b"x" * (2 * 1024 * 1024),
                       headers={"Content-Type": "application/octet-stream"})
    assert upload.status == 200 and upload.json()["body_length"] == 2 * 1024 * 1024
    assert_error(http_call("POST", f"{gateway}/api/uploads/v1/evidence", b"x" * (UPLOAD_LIMIT + 1),
                           headers={"Content-Type": "application/octet-stream"}), 413, "payload_too_large")


def test_logins_are_limited_per_client(gateway, http_call):
    replies = [http_call("POST", f"{gateway}/api/identity/v1/auth/login", {"email": "a@b.org", "password": "x"})
               for _ in range(6)]
    statuses = [reply.status for reply in replies]
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}, statuses
    assert_error(replies[-1], 429, "too_many_requests")
    assert replies[-1].header("Retry-After") == "10"
    assert http_call("GET", f"{gateway}/api/identity/v1/me").status == 200  # other paths are not limited


def test_an_upstream_that_is_down_is_a_json_503_with_retry_after(gateway, http_call):
    reply = http_call("GET", f"{gateway}/api/gone/v1/x")
    assert_error(reply, 503, "unavailable")
    assert reply.header("Retry-After") == "5"


def test_a_services_own_503_passes_through_with_its_retry_after(gateway, http_call):
    reply = http_call("GET", f"{gateway}/api/echo/busy")
    assert reply.status == 503 and reply.header("Retry-After") == "7" and reply.json()["path"] == "/busy"


def test_a_slow_upstream_is_a_json_504(gateway, http_call):
    started = time.monotonic()
    assert_error(http_call("GET", f"{gateway}/api/echo/slow"), 504, "gateway_timeout")
    assert time.monotonic() - started < UPSTREAM_TIMEOUT + 1.5


def test_a_stalled_client_is_dropped_and_holds_up_nobody(gateway, http_call):
    StandIn.seen.clear()
    host, port = gateway.removeprefix("http://").split(":")
    stalled = socket.create_connection((host, int(port)))
    stalled.sendall(b"POST /api/echo/v1/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"half\":")
    started = time.monotonic()
    # Meanwhile everybody else is served at once, and the service never saw the half request.
    for _ in range(5):
        assert http_call("GET", f"{gateway}/api/echo/v1/x", timeout=2).status == 200
    assert time.monotonic() - started < CLIENT_TIMEOUT
    assert all(seen["path"] != "/v1/upload" for seen in StandIn.seen)
    stalled.settimeout(CLIENT_TIMEOUT + 3)
    try:
        assert stalled.recv(1024) == b""  # nginx gives up on it after the client timeout
    except ConnectionResetError:
        pass
    finally:
        stalled.close()
    assert time.monotonic() - started >= CLIENT_TIMEOUT - 0.5


def test_cors_for_the_mobile_apps_origins_only(gateway, http_call):
    preflight = http_call("OPTIONS", f"{gateway}/api/identity/v1/auth/login",
                          headers={"Origin": MOBILE_ORIGIN, "Access-Control-Request-Method": "POST",
                                   "Access-Control-Request-Headers": "content-type, authorization"})
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Origin") == MOBILE_ORIGIN
    assert "POST" in preflight.header("Access-Control-Allow-Methods")
    assert "Authorization" in preflight.header("Access-Control-Allow-Headers")
    allowed = http_call("GET", f"{gateway}/api/echo/v1/x", headers={"Origin": MOBILE_ORIGIN})
    assert allowed.header("Access-Control-Allow-Origin") == MOBILE_ORIGIN
    assert "X-Request-ID" in allowed.header("Access-Control-Expose-Headers")
    stranger = http_call("GET", f"{gateway}/api/echo/v1/x", headers={"Origin": "https://evil.example"})
    assert stranger.status == 200 and stranger.header("Access-Control-Allow-Origin") is None


def test_serves_the_web_client_when_it_is_there(gateway, http_call):
    index = http_call("GET", f"{gateway}/")
    assert index.status == 200 and b"<title>Canopy</title>" in index.body
    assert http_call("GET", f"{gateway}/assets/app.js").body == b"console.log('canopy')"
    # A client-side route is the single-page app's to handle.
    assert b"<title>Canopy</title>" in http_call("GET", f"{gateway}/people/42").body


def test_serves_the_api_documentation_and_takes_its_files_from_a_service(gateway, http_call):
    page = http_call("GET", f"{gateway}/docs/")
    assert page.status == 200 and page.header("Content-Type").startswith("text/html")
    assert page.header("X-Request-ID") and b"swagger-ui-bundle.js" in page.body
    for service in ("identity", "echo", "uploads", "gone"):  # every service's document, by the gateway's path
        assert f'"url": "/api/{service}/openapi.json"'.encode() in page.body
    assert http_call("GET", f"{gateway}/docs").body == page.body  # redirected to the page
    asset = http_call("GET", f"{gateway}/docs/swagger-ui.css")
    assert asset.status == 200 and asset.json()["path"] == "/docs/swagger-ui.css"  # the first service answered

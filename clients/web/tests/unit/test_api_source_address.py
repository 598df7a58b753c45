"""The client's calls to the gateway leave from the address ``WEB_API_SOURCE_ADDRESS`` names, the
one the gateway trusts to name the browser; without it, from wherever the system chooses (Linux
has all of 127.0.0.0/8 to send from)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from canopy_web.api import Gateway
from canopy_web.settings import load_settings


class WhoCalls(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"caller": self.client_address[0]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def api_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), WhoCalls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()


def test_calls_leave_from_the_address_the_settings_name(api_url):
    settings = load_settings({"WEB_API_SOURCE_ADDRESS": "127.0.2.1"})
    assert settings.api_source_address == "127.0.2.1"
    bound = Gateway(api_url, 5, source_address=settings.api_source_address)
    assert bound.call("GET", "identity", "/v1/me").json() == {"caller": "127.0.2.1"}
    assert Gateway(api_url, 5).call("GET", "identity", "/v1/me").json() == {"caller": "127.0.0.1"}
    assert load_settings({}).api_source_address is None

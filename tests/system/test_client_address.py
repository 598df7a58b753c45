"""Through nginx, each client is itself: identity sees the address nginx saw (one trusted hop), so
one client's failed sign-ins do not lock out another, and a client cannot claim another's address.
The clients connect from two loopback addresses (127.0.0.2 and 127.0.0.3) to a real identity API."""
from __future__ import annotations

import http.client
import json
import signal
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from canopy_kit.production.gateway import local_config, write_local_gateway
from canopy_kit.production.topology import free_port
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.web.app import create_service_app
from canopy_kit.web.forwarding import GATEWAY_HOPS

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
ADMIN = "admin@oak.example.org"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, nginx_binary, wait):
    from identity import commands
    from identity.service import SERVICE

    folder = tmp_path_factory.mktemp("client-address")
    runtime = Runtime(SERVICE, make_settings("identity", database_url=f"sqlite:///{folder / 'identity.db'}",
                                             trusted_proxy_hops=GATEWAY_HOPS))
    prepare_database(runtime)
    with runtime.uow_factory() as uow:
        commands.create_trust_with_admin(uow, name="Oak Trust", slug="oak", admin_given_name="Ada",
                                         admin_family_name="Admin", admin_email=ADMIN, admin_password=PASSWORD)
        uow.commit()
    server = make_server("127.0.0.1", 0, create_service_app(runtime), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = free_port()
    # nginx's own per-client login limit is lifted here, so that what is tested is identity's.
    config = local_config(folder, upstreams={"identity": f"127.0.0.1:{server.server_port}"},
                          listen=f"127.0.0.1:{port}", web_root=folder / "web", logs=folder / "logs",
                          login_rate_per_minute=6000, login_burst=1000)
    nginx = subprocess.Popen(write_local_gateway(nginx_binary, folder, config, []),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait(lambda: _login("127.0.0.9", port, "wrong", email="warm-up@oak.example.org")[0] == 401,
             timeout=10, what="nginx in front of identity")
        yield port
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        server.shutdown()
        runtime.dispose()


def _login(source: str, port: int, password: str, *, email: str = ADMIN, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        connection.request("POST", "/api/identity/v1/auth/login", json.dumps({"email": email, "password": password}),
                           {"Content-Type": "application/json", **(headers or {})})
        reply = connection.getresponse()
        return reply.status, json.loads(reply.read() or b"null")
    finally:
        connection.close()


def test_one_clients_failed_sign_ins_do_not_lock_out_another(gateway, monkeypatch):
    from identity.domain import sign_in

    monkeypatch.setattr(sign_in, "CLIENT_LIMIT", 3)
    codes = [_login("127.0.0.2", gateway, "wrong", email=f"guess{i}@oak.example.org")[0] for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _login("127.0.0.2", gateway, PASSWORD)[0] == 429  # that client waits out the window
    assert _login("127.0.0.3", gateway, PASSWORD)[0] == 200  # another client signs in


def test_a_client_cannot_claim_another_clients_address(gateway, monkeypatch):
    from identity.domain import sign_in

    monkeypatch.setattr(sign_in, "ACCOUNT_PER_CLIENT_LIMIT", 2)
    spoof = {"X-Forwarded-For": "198.51.100.1", "X-Real-IP": "198.51.100.1"}
    email = "someone@oak.example.org"
    codes = [_login("127.0.0.3", gateway, "wrong", email=email, headers=spoof)[0] for _ in range(3)]
    assert codes == [401, 401, 429]  # each attempt counted against its real address, whatever it claimed

"""The whole platform as a newcomer starts it: ``canopy up`` on the embedded default.

It must become ready (how fast is measured in bench/, not asserted here), accept a demo login whose
token verifies against the published JWKS (fetched over HTTP through the gateway, as every other
service does), log every request through the gateway, keep its data across a restart, and stop
cleanly on SIGTERM. On a port that is taken it fails at once, saying why.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from canopy_kit.auth import JwksKeySource, TokenVerifier

pytestmark = pytest.mark.integration

READY_WAIT_SECONDS = 180  # generous on purpose: a busy machine is slow, and speed is bench/'s business


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def _post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class Platform:
    def __init__(self, data_dir, port):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "CANOPY_DATA_DIR": str(data_dir), "LOG_JSON": "0"}
        for name in ("DATABASE_URL", "BUS_URL", "CANOPY_EXCHANGE", "CANOPY_QUEUE_PREFIX"):
            env.pop(name, None)
        self.log = open(data_dir / f"up-{time.monotonic_ns()}.log", "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", "up", "--port", str(port)],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        deadline = self.started + READY_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                if _get(f"{self.base}/api/identity/health/ready")[0] == 200:
                    return
            except OSError:
                pass
            assert self.process.poll() is None, open(self.log.name).read()[-3000:]
            time.sleep(0.2)
        raise AssertionError("platform never became ready:\n" + open(self.log.name).read()[-3000:])

    def demo_login(self) -> str:
        """The first demo login ``canopy up`` prints once everything is ready."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in open(self.log.name).read().splitlines():
                if "demo login:" in line:
                    return line.split()[2]
            time.sleep(0.2)
        raise AssertionError("no demo login printed:\n" + open(self.log.name).read()[-3000:])

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        finally:
            self.log.close()


def test_make_up_serves_a_demo_login_that_verifies_against_jwks(tmp_path):
    platform = Platform(tmp_path, _free_port())
    try:
        platform.wait_ready()
        email = platform.demo_login()
        status, tokens = _post(f"{platform.base}/api/identity/v1/auth/login",
                               {"email": email, "password": "canopy-demo-2026"})
        assert status == 200
        keys = JwksKeySource(f"{platform.base}/api/identity/.well-known/jwks.json")
        principal = TokenVerifier(keys, issuer="canopy-identity", audience="canopy").verify(tokens["access_token"])
        status, me = _get(f"{platform.base}/api/identity/v1/me", tokens["access_token"])
        assert status == 200 and me["person_id"] == principal.person_id
        status, spec = _get(f"{platform.base}/api/identity/openapi.json")
        assert status == 200 and "/v1/auth/login" in spec["paths"]
        status, error = _get(f"{platform.base}/api/no-such-service/v1/x")
        assert status == 404 and error["code"] == "not_found"
    finally:
        assert platform.stop() == 0
    log = open(platform.log.name).read()
    assert " POST /api/identity/v1/auth/login 200 " in log  # the gateway's access log
    assert "No hostname was supplied" not in log

    # A restart keeps the data: the same person signs in again, nothing is loaded twice.
    again = Platform(tmp_path, _free_port())
    try:
        again.wait_ready()
        status, tokens2 = _post(f"{again.base}/api/identity/v1/auth/login",
                                {"email": email, "password": "canopy-demo-2026"})
        assert status == 200
        status, me2 = _get(f"{again.base}/api/identity/v1/me", tokens2["access_token"])
        assert me2["person_id"] == me["person_id"]
    finally:
        assert again.stop() == 0


def test_canopy_up_on_a_port_in_use_fails_at_once_saying_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "CANOPY_DATA_DIR": str(tmp_path)}
        run = subprocess.run([sys.executable, "-m", "canopy_kit.cli", "up", "--port", str(port), "--no-demo"],
                             env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "--port" in run.stderr
    assert "Traceback" not in run.stderr

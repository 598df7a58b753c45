"""identity's API under gunicorn with two workers: /metrics counts every worker's requests."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.request

import pytest

pytestmark = pytest.mark.integration


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _requests_counted(base):
    text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
    return sum(float(v) for v in re.findall(
        r'canopy_http_requests_total\{method="GET",route="/health/live",service="identity",status="200"\} (\S+)',
        text))


def test_metrics_add_up_across_gunicorn_workers(tmp_path):
    port = _free_port()
    env = {**os.environ, "IDENTITY_DATABASE_URL": f"sqlite:///{tmp_path / 'identity.db'}",
           "IDENTITY_BUS_URL": "memory://", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "LOG_JSON": "0"}
    subprocess.run([sys.executable, "-m", "canopy_kit.cli", "identity", "migrate"], env=env, check=True,
                   capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", "identity", "api", "--port", str(port),
                               "--workers", "2", "--threads", "2"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/health/live", timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stderr.read()
                time.sleep(0.2)
        before = _requests_counted(base)
        with ThreadPoolExecutor(8) as pool:  # concurrent, so that both workers answer
            list(pool.map(lambda _: urllib.request.urlopen(f"{base}/health/live", timeout=5).read(), range(40)))
        # Whichever worker answers a scrape, it reports every worker's requests.
        assert [_requests_counted(base) for _ in range(4)] == [before + 40] * 4
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0

"""``canopy up-prod`` on the private servers: every service's api, relay and consumer behind nginx,
with the knobs the fault tier turns (short retries, workers recycled often), one trust and its
admin, the processes by name, and the command line an operator would use."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from canopy_kit.production.supervisor import Child
from canopy_kit.production.topology import free_port
from canopy_kit.service import discover_services
from canopy_kit.testing.faults.servers import PrivatePostgres, PrivateRabbitMQ
from canopy_kit.testing.http import http, wait_for

ADMIN_PASSWORD = "faults-tier-password-2026"
READY_TIMEOUT_SECONDS = 180
# Small enough that every API's workers are replaced again and again under the load: a fresh
# worker's first requests are where a metric registered twice once answered 500 after the commit.
MAX_REQUESTS_PER_WORKER = 40


class Platform:
    def __init__(self, folder: Path, repository: Path, postgres: PrivatePostgres, rabbitmq: PrivateRabbitMQ,
                 *, max_attempts: int = 3, retry_delay_ms: int = 500, env: dict[str, str] | None = None):
        self.folder = folder
        self.repository = repository
        self.postgres = postgres
        self.rabbitmq = rabbitmq
        self.unique = uuid.uuid4().hex[:8]
        self.services = sorted(discover_services())
        self.env = {
            **os.environ,
            "DATABASE_URL": postgres.url("canopy_{service}"), "BUS_URL": rabbitmq.url,
            "CANOPY_DATA_DIR": str(folder / "data"), "CANOPY_ADMIN_PASSWORD": ADMIN_PASSWORD, "LOG_JSON": "1",
            "GUNICORN_MAX_REQUESTS": str(MAX_REQUESTS_PER_WORKER), "RELAY_POLL_SECONDS": "0.5",
            "CONSUMER_MAX_ATTEMPTS": str(max_attempts), "CONSUMER_RETRY_DELAY_MS": str(retry_delay_ms),
            # Longer than a verifier's refetch interval (10 s), shorter than the default: the tier waits it out.
            "IDENTITY_KEY_ACTIVATION_SECONDS": "12",
            **(env or {}),  # e.g. one service's processes reaching the broker through the tier's proxy
        }
        self.run: Child | None = None
        self.gateway = ""
        self.admin_email = f"admin-{self.unique}@example.org"
        self.admin_id = ""
        self._token = ""
        self._engines: dict[str, Engine] = {}

    # -- the run --------------------------------------------------------------------------------
    def start(self) -> None:
        argv = [sys.executable, "-m", "canopy_kit.cli", "up-prod", "--run-dir", str(self.folder / "run"),
                "--port", str(free_port()), "--base-port", "0", "--no-demo", "--workers", "2", "--threads", "4"]
        self.run = Child("up-prod", argv, self.env, self.folder / "up-prod.log")
        cwd = os.getcwd()
        os.chdir(self.repository)  # the gunicorn config is named relative to the repository
        try:
            self.run.start()
        finally:
            os.chdir(cwd)

        def ready():
            if not self.run.running():
                raise AssertionError(f"up-prod exited:\n{self.run.log_tail(60)}")
            return self.state_path.exists() and self.state()["ready"]

        wait_for(ready, timeout=READY_TIMEOUT_SECONDS, what="up-prod to be ready", interval=0.5)
        self.gateway = self.state()["gateway"]
        self._create_trust()

    @property
    def state_path(self) -> Path:
        return self.folder / "run" / "state.json"

    def state(self) -> dict:
        return json.loads(self.state_path.read_text())

    def pid(self, name: str) -> int:
        return next(p["pid"] for p in self.state()["processes"] if p["name"] == name)

    def processes(self, kind: str) -> list[dict]:
        return [p for p in self.state()["processes"] if p["kind"] == kind]

    def logs(self) -> Path:
        return self.folder / "run" / "logs"

    def kill(self, name: str) -> int:
        """SIGKILL a process of the run; its pid. The launcher restarts it."""
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        return pid

    def metric(self, name: str, sample: str, **labels: str) -> float:
        """The sum of one metric's samples on a process's ``/metrics`` that carry ``labels``."""
        metrics = next(p["metrics"] for p in self.state()["processes"] if p["name"] == name)
        total = 0.0
        for family in text_string_to_metric_families(http("GET", metrics, timeout=5).body.decode()):
            for found in family.samples:
                if found.name == sample and all(found.labels.get(k) == v for k, v in labels.items()):
                    total += found.value
        return total

    def wait_restarted(self, name: str, old_pid: int, timeout: float = 60) -> None:
        def replaced():
            process = next(p for p in self.state()["processes"] if p["name"] == name)
            return process["pid"] != old_pid and http("GET", process["metrics"], timeout=2).status == 200
        wait_for(replaced, timeout=timeout, what=f"{name} to be restarted", interval=0.5)

    def stop(self) -> int | None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        if self.run is None:
            return None
        self.run.request_stop()
        return self.run.wait_stopped(time.monotonic() + 60)

    # -- the trust ------------------------------------------------------------------------------
    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "canopy_kit.cli", *args], env=self.env, cwd=self.repository,
                              capture_output=True, text=True, timeout=timeout)

    def _create_trust(self) -> None:
        result = self.cli("identity", "create-trust", "--name", f"Faults {self.unique}", "--slug", f"f-{self.unique}",
                          "--admin-email", self.admin_email, "--admin-given-name", "Admin",
                          "--admin-family-name", "Faults")
        assert result.returncode == 0, result.stdout + result.stderr
        me = http("GET", f"{self.gateway}/api/identity/v1/me", headers=self.auth())
        assert me.status == 200, me.body
        self.admin_id = me.json()["person_id"]

    def login(self, email: str, password: str):
        return http("POST", f"{self.gateway}/api/identity/v1/auth/login", {"email": email, "password": password})

    def auth(self, *, fresh: bool = False) -> dict[str, str]:
        """The trust admin's bearer header (signed in once: sign-in is rate-limited per client)."""
        if fresh or not self._token:
            reply = wait_for(lambda: (r := self.login(self.admin_email, ADMIN_PASSWORD)).status == 200 and r,
                             timeout=60, what="the trust admin to sign in", interval=1)
            self._token = reply.json()["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    # -- the databases --------------------------------------------------------------------------
    def engine(self, service: str) -> Engine:
        if service not in self._engines:
            self._engines[service] = create_engine(self.postgres.url(f"canopy_{service}"), pool_pre_ping=True)
        return self._engines[service]

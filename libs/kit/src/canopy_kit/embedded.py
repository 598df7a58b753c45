"""``canopy up``: the whole platform on one machine with nothing but Python.

Migrates every service's SQLite file, loads demo data, then runs the gateway (every API under
``/api/<service>/`` on one port) and one worker process per service (relay and consumer). Ctrl-C
or SIGTERM stops them all; data stays in the data folder for the next run.

Limits, on purpose: one machine only; the filesystem bus has no broker, so a consumer killed in the
middle of a message can lose that message (kombu removes a message file when it is read, not when it
is acked). Production runs RabbitMQ and PostgreSQL.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from canopy_kit.db.migrations import migrate
from canopy_kit.gateway import migrate_web_client
from canopy_kit.startup import service_runtime

READY_TIMEOUT_SECONDS = 120  # generous: a busy machine starts slowly, a failed process is noticed at once
DEMO_WAIT_SECONDS = 120  # how long to keep offering demo data that waits for other services' events
DEMO_DELIVERY_WAIT_SECONDS = 900  # how long to watch the demo's events reach every service
DEMO_CHECK_SECONDS = 2.0
IDLE_CHECK_SECONDS = 1.0  # how often the launcher looks whether its processes still run


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", *args], env=env)


def port_in_use(port: int) -> str | None:
    """Why the gateway could not listen on ``port`` (on 127.0.0.1), or None if it can."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: TIME_WAIT is no obstacle
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _exited(children: list[subprocess.Popen]) -> subprocess.Popen | None:
    return next((child for child in children if child.poll() is not None), None)


def _wait_ready(port: int, services, children: list[subprocess.Popen]) -> bool:
    """Every service answers ready through the gateway; False at once if a process has exited."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    pending = set(services)
    while pending and time.monotonic() < deadline and _exited(children) is None:
        for name in sorted(pending):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/{name}/health/ready", timeout=2) as r:
                    if r.status == 200:
                        pending.discard(name)
            except OSError:
                pass
        time.sleep(0.3)
    return not pending


def _load_demos(services: dict) -> tuple[list[dict], list[str]]:
    logins, pending = [], []
    for name, spec in services.items():
        if spec.load_demo is None:
            continue
        runtime = service_runtime(name, spec)
        try:
            result = spec.load_demo(runtime)
        finally:
            runtime.dispose()
        logins.extend(result.get("logins", []))
        if result.get("pending"):
            pending.append(name)
    return logins, pending


def _bus_settled(services: dict) -> bool:
    """Every outbox published and every queue folder empty: the events so far are delivered."""
    from sqlalchemy import func, select

    from canopy_kit.bus.connection import filesystem_folder
    from canopy_kit.db.tables import outbox

    for name, spec in services.items():
        runtime = service_runtime(name, spec)
        try:
            with runtime.engine.connect() as conn:
                if conn.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar():
                    return False
            queues = filesystem_folder(runtime.settings.bus_url) / "queues"
        finally:
            runtime.dispose()
        if queues.exists() and any(entry.name.endswith(".msg") for entry in queues.iterdir()):
            return False
    return True


def _load_pending_demos(services: dict, pending: list[str]) -> list[str]:
    """Demo data built on other services' events (a service's directory comes from identity's
    events) loads once those events have all been delivered."""
    if not (_bus_settled(services) and (time.sleep(1.5) or _bus_settled(services))):
        return pending
    still = []
    for name in pending:
        runtime = service_runtime(name, services[name])
        try:
            result = services[name].load_demo(runtime)
        finally:
            runtime.dispose()
        if result.get("pending"):
            still.append(name)
        else:
            print(f"  {name}: demo data {result}")
            sys.stdout.flush()
    return still


class DemoProgress:
    """Demo data loads while the platform already serves: it is idempotent, and a loader that
    needs other services' events (portfolio's people come from identity's) is asked again once they
    are delivered. Says, in one line, when the demo data has reached every service."""

    def __init__(self, services: dict, started: float):
        self.services = services
        self.started = started
        logins, self.pending = _load_demos(services)
        for login in logins:
            print(f"  demo login: {login['email']} / {login['password']}  ({login['who']})")
        sys.stdout.flush()
        self.retry_until = time.monotonic() + DEMO_WAIT_SECONDS
        self.deliver_until = time.monotonic() + DEMO_DELIVERY_WAIT_SECONDS
        self.done = False

    def step(self) -> float:
        """Move the demo data on; returns how long to wait before the next step."""
        if self.done:
            return IDLE_CHECK_SECONDS
        now = time.monotonic()
        if self.pending and now < self.retry_until:
            self.pending = _load_pending_demos(self.services, self.pending)
        elif self.pending or now > self.deliver_until:
            print(f"  demo data did not reach every service in time (not loaded: {', '.join(self.pending) or 'none'});"
                  " it is kept and offered again at the next start", file=sys.stderr)
            self.done = True
        elif _bus_settled(self.services):
            print(f"Demo data has reached every service ({now - self.started:.0f} s after the start).")
            sys.stdout.flush()
            self.done = True
        return DEMO_CHECK_SECONDS


def run_embedded(services: dict, *, port: int, demo: bool) -> int:
    started = time.monotonic()
    busy = port_in_use(port)
    if busy is not None:
        print(f"canopy up: cannot listen on 127.0.0.1:{port} ({busy}); stop what uses it or choose "
              f"another port with --port", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("CANOPY_JWKS_URL", f"http://127.0.0.1:{port}/api/identity/.well-known/jwks.json")
    env.setdefault("LOG_JSON", "0")
    os.environ.update({k: env[k] for k in ("CANOPY_JWKS_URL", "LOG_JSON")})
    for name, spec in services.items():
        runtime = service_runtime(name, spec)
        migrate(runtime.engine, spec.migrations_dir)
        runtime.dispose()
    web_client = migrate_web_client()

    children = [_spawn(["gateway", "--port", str(port)], env)]
    children += [_spawn([name, "worker"], env) for name in services]
    names = {child.pid: " ".join(child.args[3:]) for child in children}
    stopping = False

    def stop(_signum=None, _frame=None):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    failed = None
    try:
        if _wait_ready(port, services, children):
            print(f"\nCanopy is running at http://127.0.0.1:{port}/  (Ctrl-C stops it)")
            if web_client:
                print(f"  {'web client':16} http://127.0.0.1:{port}/  (sign in with a demo login below)")
            print(f"  {'API docs':16} http://127.0.0.1:{port}/docs/")
            for name in services:
                print(f"  {name:16} http://127.0.0.1:{port}/api/{name}/openapi.json")
            sys.stdout.flush()
            demos = DemoProgress(services, started) if demo and not stopping else None
            while not stopping and _exited(children) is None:
                time.sleep(demos.step() if demos is not None else IDLE_CHECK_SECONDS)
        if not stopping:
            gone = _exited(children)
            failed = (f"canopy up: {names[gone.pid]} exited with code {gone.returncode}; see the log above" if gone
                      else f"canopy up: not ready within {READY_TIMEOUT_SECONDS} s; see the log above")
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
    if failed:
        print(failed, file=sys.stderr)
        return 1
    print("Canopy stopped; data kept in", env.get("CANOPY_DATA_DIR", env.get("DATA_DIR", "var")))
    return 0

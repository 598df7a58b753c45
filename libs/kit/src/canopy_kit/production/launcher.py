"""``canopy up-prod``: the production topology on this machine, without Docker.

Every installed service's api (gunicorn with ``deploy/gunicorn.conf.py``), relay and consumer as
separate processes on PostgreSQL (a database per service, created and migrated) and RabbitMQ (every
consumer's queue declared first), the web client (when installed) as one more gunicorn process on
its own database, with nginx in front rendered from the gateway template, and optionally
Prometheus scraping them all; demo data loads once the platform answers.
Children that die are restarted with backoff; Ctrl-C or SIGTERM stops them in order (gateway,
web client and APIs, then relays and consumers), each finishing what it holds, and the exit code
says whether all of them stopped cleanly. ``<run folder>/state.json`` names every process, its pid
and port.

The web client calls the APIs through nginx, as any client does, and tells it whose request it is
passing on (X-Forwarded-For, -Host, -Proto). nginx believes that only from the client's own
loopback address (``WEB_SOURCE_ADDRESS``: the client's calls leave from it, and nothing else here
uses it), so identity's per-client lockout and nginx's login limit count each browser, and a
browser that names another address in its own headers is still itself.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from canopy_kit.production.backends import (
    apply_broker_policies, backend_problems, declare_consumer_queues, migrate_databases, production_environment,
)
from canopy_kit.production.demo import DemoLoader
from canopy_kit.production.gateway import body_limits, local_config, write_local_gateway
from canopy_kit.production.prometheus import render_local_config
from canopy_kit.production.supervisor import Child, log, stop_in_order
from canopy_kit.production.topology import WEB_KIND, Process, free_port, plan_processes, plan_web
from canopy_kit.production.tools import find_tool
from canopy_kit.production.web import WEB, web_client_installed, web_max_body_bytes, web_settings
from canopy_kit.web.forwarding import GATEWAY_HOPS

READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30
# The web client's calls to the gateway leave from this address; the gateway trusts it alone to name
# the browser. Not 127.0.0.1 (every local client), nor an address tests use as a client's.
WEB_SOURCE_ADDRESS = "127.0.2.1"


@dataclass(frozen=True)
class LocalRunOptions:
    run_dir: Path
    port: int = 8080
    base_port: int = 8100
    workers: int | None = None
    threads: int | None = None
    demo: bool = True
    gunicorn_config: Path = Path("deploy/gunicorn.conf.py")
    alert_rules: Path | None = Path("deploy/prometheus/alerts.yml")
    web_root: Path | None = None
    cors_origins: tuple[str, ...] = ()
    client_timeout_seconds: int = 10
    upstream_timeout_seconds: int = 30
    login_rate_per_minute: int = 10
    prometheus_port: int | None = None  # None: Prometheus is not started
    web: bool = True  # run the web client, when it is installed


def can_send_from(address: str) -> bool:
    """Whether this machine has ``address`` to connect from (Linux has all of 127.0.0.0/8)."""
    try:
        with socket.socket() as probe:
            probe.bind((address, 0))
        return True
    except OSError:
        return False


def _answers(url: str) -> bool:
    """200; and a readiness check must also not be degraded: an API is ready (to Kubernetes) with
    its database alone, but a run has started only once the broker answers it too."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status != 200:
                return False
            return not url.endswith("/health/ready") or json.loads(response.read()).get("status") == "ok"
    except (OSError, ValueError):
        return False


class LocalRun:
    def __init__(self, services: dict, options: LocalRunOptions, env: dict[str, str], *,
                 web_source: str | None = None):
        self.services = services
        self.options = options
        self.run_dir = options.run_dir.resolve()
        self.processes = plan_processes(services, options.base_port)
        self.web = plan_web(options.base_port) if options.web else None
        if self.web is not None:
            self.processes.append(self.web)
        self.web_source = web_source  # None: the client's calls leave from any address, none trusted
        self.gateway_port = options.port or free_port()
        self.gateway_url = f"http://127.0.0.1:{self.gateway_port}"
        self.prometheus_port = free_port() if options.prometheus_port == 0 else options.prometheus_port
        self.env = self._shared_env(env)
        self.children: dict[str, Child] = {}

    # -- what runs ------------------------------------------------------------------------------
    def _shared_env(self, env: dict[str, str]) -> dict[str, str]:
        env = {**env, "METRICS_ADDR": "127.0.0.1"}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        identity = next((p for p in self.processes if p.service == "identity" and p.kind == "api"), None)
        if identity is not None:  # services verify tokens with identity's keys, fetched directly
            env.setdefault("CANOPY_JWKS_URL", f"http://127.0.0.1:{identity.port}/.well-known/jwks.json")
        return env

    def _service_child(self, process: Process) -> Child:
        argv = [sys.executable, "-m", "canopy_kit.cli", process.service, process.kind]
        env = dict(self.env)
        if process.kind == "api":
            self._under_gunicorn(process, argv, env)
        else:
            env["METRICS_PORT"] = str(process.port)
        return Child(process.name, argv, env, self.run_dir / "logs" / f"{process.name}.log")

    def _web_child(self, process: Process) -> Child:
        argv = [sys.executable, "-m", "canopy_kit.cli", WEB]
        env = dict(self.env)
        self._under_gunicorn(process, argv, env)
        env["WEB_API_URL"] = f"{self.gateway_url}/api"  # the APIs as every client reaches them
        if self.web_source:
            env["WEB_API_SOURCE_ADDRESS"] = self.web_source
        else:
            env.pop("WEB_API_SOURCE_ADDRESS", None)
        return Child(process.name, argv, env, self.run_dir / "logs" / f"{process.name}.log")

    def _under_gunicorn(self, process: Process, argv: list[str], env: dict[str, str]) -> None:
        argv += ["--config", str(self.options.gunicorn_config.resolve())]
        argv += ["--workers", str(self.options.workers)] if self.options.workers else []
        argv += ["--threads", str(self.options.threads)] if self.options.threads else []
        env["GUNICORN_BIND"] = f"127.0.0.1:{process.port}"
        env["CANOPY_TRUSTED_PROXY_HOPS"] = str(GATEWAY_HOPS)  # nginx names the client
        env["PROMETHEUS_MULTIPROC_DIR"] = str(self.run_dir / "metrics" / process.name)

    def _gateway_child(self, nginx: str) -> Child:
        folder = self.run_dir / "nginx"
        web = {} if self.web is None else {
            "web_upstream": f"127.0.0.1:{self.web.port}", "web_max_body_bytes": web_max_body_bytes(self.env),
            "trusted_proxies": (self.web_source,) if self.web_source else ()}
        config = local_config(
            folder, upstreams={p.service: f"127.0.0.1:{p.port}" for p in self.processes if p.kind == "api"},
            listen=f"127.0.0.1:{self.gateway_port}", web_root=self.options.web_root or self.run_dir / "no-web-client",
            logs=self.run_dir / "logs", client_timeout_seconds=self.options.client_timeout_seconds,
            upstream_timeout_seconds=self.options.upstream_timeout_seconds,
            login_rate_per_minute=self.options.login_rate_per_minute, body_limits=body_limits(self.services),
            **web,
        )
        argv = write_local_gateway(nginx, folder, config, self.options.cors_origins)
        # SIGQUIT is nginx's graceful stop: it finishes the requests in hand, then exits.
        return Child("gateway", argv, dict(self.env), self.run_dir / "logs" / "gateway.log", signal.SIGQUIT)

    def _prometheus_child(self, prometheus: str, port: int) -> Child:
        rules = self.options.alert_rules
        config = self.run_dir / "prometheus.yml"
        config.write_text(render_local_config(
            self.processes, rules=rules.resolve() if rules is not None and rules.exists() else None))
        argv = [prometheus, f"--config.file={config}", f"--storage.tsdb.path={self.run_dir / 'prometheus'}",
                f"--web.listen-address=127.0.0.1:{port}"]
        return Child("prometheus", argv, dict(self.env), self.run_dir / "logs" / "prometheus.log")

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self, nginx: str, prometheus: str | None) -> None:
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        for process in self.processes:
            make = self._web_child if process.kind == WEB_KIND else self._service_child
            self.children[process.name] = make(process)
        self.children["gateway"] = self._gateway_child(nginx)
        if prometheus is not None:
            self.children["prometheus"] = self._prometheus_child(prometheus, self.prometheus_port)
        for child in self.children.values():
            child.start()

    def _checks(self) -> dict[str, str]:
        """What must answer 200 before the run counts as ready."""
        checks = {p.name: (f"http://127.0.0.1:{p.port}/health/ready" if p.kind in ("api", WEB_KIND)
                           else p.metrics_url) for p in self.processes}
        checks.update({f"gateway /api/{name}/": f"{self.gateway_url}/api/{name}/health/ready"
                       for name in self.services})
        if self.web is not None:
            checks["gateway /"] = f"{self.gateway_url}/health/ready"  # the web client, through nginx
        if "prometheus" in self.children:
            checks["prometheus"] = f"http://127.0.0.1:{self.prometheus_port}/-/ready"
        return checks

    def wait_ready(self, stopping) -> list[str]:
        """Wait until everything answers; what still does not, if a child died or time ran out."""
        pending = self._checks()
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while pending and time.monotonic() < deadline and not stopping():
            dead = [child for child in self.children.values() if not child.running()]
            if dead:
                return [f"{child.name} exited during start-up:\n{child.log_tail()}" for child in dead]
            pending = {name: url for name, url in pending.items() if not _answers(url)}
            time.sleep(0.2)
        return [f"{name} did not answer {url}" for name, url in pending.items()]

    def write_state(self, ready: bool) -> None:
        state = {
            "ready": ready,
            "gateway": self.gateway_url,
            "gateway_pid": self.children["gateway"].pid,
            "processes": [{"name": p.name, "service": p.service, "kind": p.kind, "port": p.port,
                           "metrics": p.metrics_url, "pid": self.children[p.name].pid} for p in self.processes],
        }
        if "prometheus" in self.children:
            state["prometheus"] = f"http://127.0.0.1:{self.prometheus_port}"
        path = self.run_dir / "state.json"
        path.with_suffix(".tmp").write_text(json.dumps(state, indent=2))
        path.with_suffix(".tmp").replace(path)

    def supervise(self, stopping, every_round) -> None:
        pids = None
        while not stopping():
            every_round()
            for child in self.children.values():
                child.check()
            current = [child.pid for child in self.children.values()]
            if current != pids:
                self.write_state(ready=True)
                pids = current
            time.sleep(0.5)

    def stop(self) -> bool:
        """The gateway first (no new requests), then the web client and the APIs (no new outbox
        rows), then relays and consumers together, each finishing the batch it holds."""
        def group(*names: str) -> list[Child]:
            return [self.children[name] for name in names if name in self.children]

        serving = ("api", WEB_KIND)
        apis = group(*(p.name for p in self.processes if p.kind in serving))
        workers = group(*(p.name for p in self.processes if p.kind not in serving))
        clean = stop_in_order([group("gateway", "prometheus"), apis, workers], STOP_TIMEOUT_SECONDS)
        (self.run_dir / "state.json").unlink(missing_ok=True)
        return clean


def _print_summary(run: LocalRun) -> None:
    print(f"\nCanopy (production topology) is running at {run.gateway_url}/  (Ctrl-C stops it)")
    if run.web is not None:
        print(f"  {'web client':16} {run.gateway_url}/   web :{run.web.port}")
    print(f"  {'API docs':16} {run.gateway_url}/docs/")
    for name in run.services:
        ports = {p.kind: p.port for p in run.processes if p.service == name}
        print(f"  {name:16} {run.gateway_url}/api/{name}/openapi.json   api :{ports['api']}, "
              f"relay metrics :{ports['relay']}, consumer metrics :{ports['consumer']}")
    if "prometheus" in run.children:
        print(f"  prometheus       http://127.0.0.1:{run.prometheus_port}/")
    print(f"  logs and state: {run.run_dir}")
    sys.stdout.flush()


def _print_logins(logins: list[dict]) -> None:
    for login in logins:
        print(f"  demo login: {login['email']} / {login['password']}  ({login['who']})")
    sys.stdout.flush()


def web_problems(env: dict[str, str]) -> list[str]:
    """Why the web client cannot run on these settings: its database must be PostgreSQL too."""
    from sqlalchemy.engine import make_url

    backend = make_url(web_settings(env).database_url).get_backend_name()
    if backend != "postgresql":
        return [f"web: DATABASE_URL (or WEB_DATABASE_URL) must name PostgreSQL, not {backend}"]
    return []


def start_web_migration(env: dict[str, str]) -> subprocess.Popen:
    """``canopy web migrate`` with the run's settings (the client reads its own, from the
    environment it is given), beside the services' migrations; ``web_migration_failure`` waits."""
    return subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", WEB, "migrate"], env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def web_migration_failure(migration: subprocess.Popen) -> str | None:
    """What went wrong (its last line), or None."""
    try:
        _, stderr = migration.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        migration.kill()
        migration.communicate()
        return "did not finish in 120 s"
    return None if migration.returncode == 0 else (stderr.strip().splitlines() or ["failed"])[-1]


def run_local_production(services: dict, options: LocalRunOptions) -> int:
    nginx = find_tool("nginx")
    if nginx is None:
        print("up-prod needs nginx: install Debian's package (apt-get install nginx)", file=sys.stderr)
        return 2
    prometheus = find_tool("prometheus") if options.prometheus_port is not None else None
    if options.prometheus_port is not None and prometheus is None:
        print("--prometheus needs Prometheus: install Debian's package (apt-get install prometheus)", file=sys.stderr)
        return 2
    if not options.gunicorn_config.exists():
        print(f"no gunicorn config at {options.gunicorn_config}; run from the repository root or pass "
              "--gunicorn-config", file=sys.stderr)
        return 2
    env = production_environment(os.environ)
    with_web = options.web and web_client_installed()
    problems = backend_problems(services, env) + (web_problems(env) if with_web else [])
    if problems:
        print("up-prod cannot start:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    declare_consumer_queues(services, env)
    for line in apply_broker_policies(services, env):
        print(line, file=sys.stderr if line.startswith("warning") else sys.stdout)
    migration = start_web_migration(env) if with_web else None
    migrate_databases(services, env)
    web_source = None
    if migration is not None:
        failure = web_migration_failure(migration)
        if failure:
            print(f"up-prod cannot start: the web client's database: {failure}", file=sys.stderr)
            return 2
        web_source = WEB_SOURCE_ADDRESS if can_send_from(WEB_SOURCE_ADDRESS) else None
        if web_source is None:
            print(f"warning: this machine has no {WEB_SOURCE_ADDRESS} to send the web client's calls from: "
                  "identity and the login limit will see every browser as one client", file=sys.stderr)
    demo = DemoLoader(services if options.demo else {}, env)

    stop_requested = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop_requested.append(True))
    run = LocalRun(services, replace(options, web=with_web), env, web_source=web_source)
    ready = False
    try:
        try:
            run.start(nginx, prometheus)
        except (RuntimeError, OSError, ValueError) as exc:
            print(f"Canopy could not start: {exc}", file=sys.stderr)
            return 1
        failures = run.wait_ready(lambda: bool(stop_requested))
        if failures and not stop_requested:
            print("Canopy did not become ready:\n  " + "\n  ".join(failures), file=sys.stderr)
        elif not stop_requested:
            ready = True
            run.write_state(ready=True)
            _print_summary(run)
            _print_logins(demo.load())
            run.supervise(lambda: bool(stop_requested), demo.retry_pending)
    finally:
        log.info("stopping: gateway, then the web client and APIs, then relays and consumers")
        clean = run.stop()
    print("Canopy stopped" + ("" if clean else " (not every process stopped cleanly; see the logs)"))
    return 0 if ready and clean else 1

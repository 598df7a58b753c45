"""A private PostgreSQL cluster and RabbitMQ node on ports of their own, so a test may stop, kill
and restart them without touching the servers everything else shares. Both run as their system
users (``postgres``, ``rabbitmq``) when the tests run as root, as Debian's packages install them."""
from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from canopy_kit.production.topology import free_port

START_TIMEOUT_SECONDS = 90


class ServerError(RuntimeError):
    """A private server would not start or stop; the message has its log's tail."""


def _as_user(user: str, argv: list[str]) -> list[str]:
    """Run as ``user`` when root (initdb and RabbitMQ refuse to run as root); as is otherwise."""
    return ["runuser", "-u", user, "--", *argv] if os.geteuid() == 0 else argv


def _owned_folder(user: str, prefix: str) -> Path:
    """A fresh folder ``user`` owns, outside pytest's tmp folders (which only root may enter)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    return folder


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def _run(argv: list[str], timeout: float, what: str, log: Path | None = None) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"{what} took longer than {timeout}s") from exc
    if result.returncode != 0:
        raise ServerError(f"{what} failed ({result.returncode}): {result.stdout}{result.stderr}"
                          + (f"\n{_tail(log)}" if log else ""))
    return result.stdout


def postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class PrivatePostgres:
    """``start()``, ``restart("fast" | "immediate")``, ``stop()``; ``url(database)``."""

    def __init__(self, port: int | None = None):
        self.bin = postgres_binaries()
        if self.bin is None:
            raise ServerError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.port = port or free_port()
        self.folder = _owned_folder("postgres", "canopy-faults-pg-")
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str, timeout: float = START_TIMEOUT_SECONDS) -> str:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=300"
        return _run(_as_user("postgres", [str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                                          "-l", str(self.log), "-w", "-t", str(int(timeout)), *args]),
                    timeout + 10, f"pg_ctl {' '.join(args)}", self.log)

    def start(self) -> None:
        if not self.data.exists():
            _run(_as_user("postgres", [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust",
                                       "-U", "postgres", "--no-sync"]), 120, "initdb")
        self._pg_ctl("start")

    def restart(self, mode: str) -> None:
        """Stop with ``mode`` (``fast``: sessions are ended; ``immediate``: no shutdown at all, a
        crash recovery at the next start), then start again."""
        self._pg_ctl("stop", "-m", mode)
        self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", mode)

    def remove(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRabbitMQ:
    """A RabbitMQ node of its own name and ports: ``start()``, ``stop_app()`` / ``start_app()``
    (the broker stops serving, the node stays), ``kill()`` (SIGKILL to the Erlang VM),
    ``set_policy(...)``, ``remove()``."""

    def __init__(self, port: int | None = None):
        if shutil.which("rabbitmq-server") is None:
            raise ServerError("rabbitmq-server is not installed")
        self.port = port or free_port()
        self.dist_port = free_port()
        self.node = f"faults-{uuid.uuid4().hex[:8]}@localhost"
        self.folder = _owned_folder("rabbitmq", "canopy-faults-mq-")
        self.process: subprocess.Popen | None = None
        self._configure()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def _configure(self) -> None:
        (self.folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n")
        (self.folder / "plugins").write_text("[].\n")
        (self.folder / "env.conf").write_text(
            f"NODENAME={self.node}\nERL_EPMD_ADDRESS=127.0.0.1\n"
            'export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"\n')
        for sub in ("log", "mnesia"):
            (self.folder / sub).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("rabbitmq")
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _env(self) -> dict[str, str]:
        folder = self.folder
        return {**os.environ, "RABBITMQ_CONF_ENV_FILE": str(folder / "env.conf"), "RABBITMQ_NODENAME": self.node,
                "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq"), "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
                "RABBITMQ_LOG_BASE": str(folder / "log"), "RABBITMQ_DIST_PORT": str(self.dist_port),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "plugins"), "RABBITMQ_PID_FILE": str(folder / "pid")}

    def ctl(self, *args: str, timeout: float = 60) -> str:
        return _run(["rabbitmqctl", "-q", "-n", self.node, *args], timeout, f"rabbitmqctl {' '.join(args)}",
                    self.folder / "log" / f"{self.node}.log")

    def start(self) -> None:
        with open(self.folder / "server.out", "ab") as out:
            self.process = subprocess.Popen(["rabbitmq-server"], env=self._env(), stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self.wait_serving()

    def wait_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise ServerError(f"rabbitmq-server exited with {self.process.returncode}:\n"
                                  f"{_tail(self.folder / 'server.out')}")
            try:
                self.ctl("await_startup", "--timeout", "5", timeout=30)
                return
            except ServerError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def os_pid(self) -> int:
        return int(json.loads(self.ctl("status", "--formatter", "json"))["pid"])

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")

    def kill(self) -> None:
        """A hard crash: SIGKILL to the Erlang VM, no shutdown of any kind."""
        os.kill(self.os_pid(), signal.SIGKILL)
        if self.process is not None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def set_policy(self, name: str, pattern: str, definition: dict, apply_to: str = "queues",
                   priority: int = 1) -> None:
        self.ctl("set_policy", "--apply-to", apply_to, "--priority", str(priority), name, pattern,
                 json.dumps(definition))

    def remove(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                try:
                    self.ctl("stop", timeout=60)
                except ServerError:
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

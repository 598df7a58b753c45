"""What every benchmark shares: throwaway databases, medians, and writing docs/performance.md."""
from __future__ import annotations

import platform
import re
import statistics
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

PERFORMANCE_DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
HISTORY_KEPT = 3  # runs of each section kept in the document, newest first


def median_seconds(run: Callable[[], None], repeats: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


@contextmanager
def postgres_database() -> Iterator[str]:
    from sqlalchemy.engine import make_url

    from canopy_kit.db.migrations import drop_database, ensure_database

    url = make_url(POSTGRES_ADMIN_URL).set(database=f"canopy_bench_{uuid.uuid4().hex[:8]}")
    rendered = url.render_as_string(hide_password=False)
    ensure_database(rendered)
    try:
        yield rendered
    finally:
        drop_database(rendered)


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(title: str, body: str) -> None:
    """Put this run of a benchmark at the top of its section, keeping the last few runs."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run = f"### {stamp} ({machine()})\n\n{body.strip()}\n"
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else "# Performance\n"
    heading = f"## {title}\n"
    if heading not in text:
        text = text.rstrip() + f"\n\n{heading}\n"
    before, _, rest = text.partition(heading)
    following = re.search(r"^## ", rest, flags=re.M)
    section, after = (rest[:following.start()], rest[following.start():]) if following else (rest, "")
    runs = re.split(r"(?=^### )", section, flags=re.M)
    intro, previous = runs[0], [r for r in runs[1:] if r.strip()]
    kept = [run] + previous[:HISTORY_KEPT - 1]
    PERFORMANCE_DOC.write_text(before + heading + intro.rstrip("\n") + "\n\n" + "\n".join(kept).rstrip() + "\n\n"
                               + after.lstrip("\n"))


RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"


def median(values) -> float:
    return statistics.median(values)


def percentile(values, fraction: float) -> float:
    """The nearest-rank percentile: the smallest value at least ``fraction`` of the values reach."""
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class BusNames:
    """An exchange and a queue prefix of this run's own, so a benchmark never touches real traffic."""

    def __init__(self):
        unique = uuid.uuid4().hex[:8]
        self.exchange = f"canopy.bench.{unique}"
        self.queue_prefix = f"bench.{unique}."


@contextmanager
def bus_names() -> Iterator[BusNames]:
    """Unique bus names, and every queue and exchange under them deleted afterwards."""
    from kombu import Connection

    names = BusNames()
    try:
        yield names
    finally:
        with Connection(RABBITMQ_URL) as conn:
            channel = conn.channel()
            for queue in _queues_named(names.queue_prefix):
                channel.queue_delete(queue)
            for exchange in (names.exchange, names.exchange + ".dlx"):
                channel.exchange_delete(exchange)


def _queues_named(prefix: str) -> list[str]:
    """Queues a benchmark may have declared: its own raw queues and a consumer's three."""
    return [f"{prefix}{name}" for name in ("raw", "probe.events", "probe.events.retry", "probe.events.dead")]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of one process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_pids(pid: int) -> list[int]:
    """Every descendant of a process, from /proc (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child] + child_pids(child)
    return found


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer in {timeout}s") from None
        time.sleep(0.2)


def met(is_met: bool) -> str:
    return "yes" if is_met else "NO"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def versions() -> str:
    """The versions the figures depend on, read from the servers and the installed packages."""
    from importlib.metadata import version

    from kombu import Connection
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as conn:
            postgres = conn.execute(text("SHOW server_version")).scalar_one().split()[0]
    finally:
        engine.dispose()
    with Connection(RABBITMQ_URL) as conn:
        conn.ensure_connection(max_retries=1)
        rabbitmq = conn.connection.server_properties.get("version", "?")
    rabbitmq = rabbitmq.decode() if isinstance(rabbitmq, bytes) else rabbitmq
    packages = ", ".join(f"{name} {version(name)}" for name in ("SQLAlchemy", "kombu", "Flask", "gunicorn"))
    return f"PostgreSQL {postgres}, RabbitMQ {rabbitmq}, {packages}"


def stop_process(process, timeout: float = 30.0) -> None:
    """SIGTERM (a clean stop for gunicorn and the kit's processes), then kill if it hangs."""
    import signal
    import subprocess

    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def benchmark_arguments(doc: str):
    """The options every benchmark has; each adds its own sizes."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, once (a smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    return parser


def publish(title: str, text: str, *, write: bool) -> None:
    """Print a benchmark's table and, unless told not to, record it in docs/performance.md."""
    print(f"\n## {title}\n\n{text}", flush=True)
    if write:
        write_section(title, text)


DEMO_DELIVERED = "Demo data has reached every service"  # what `canopy up` prints once it has


@contextmanager
def embedded_platform(*, demo: bool = True, ready_timeout: float = 120.0) -> Iterator[tuple]:
    """``canopy up`` (with its demo data unless told otherwise) on a free port with a data folder
    of its own, started and waited for until every service answers ready; yields the process, the
    port, the data folder and its log file, and stops it afterwards."""
    import os
    import subprocess
    import sys
    import tempfile

    from canopy_kit.service import discover_services

    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        log = Path(data_dir) / "up.log"
        env = {name: value for name, value in os.environ.items()
               if not name.endswith(("_DATABASE_URL", "_BUS_URL")) and name not in ("DATABASE_URL", "BUS_URL")}
        with log.open("w") as output:
            up = subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", "up", "--port", str(port),
                                   *([] if demo else ["--no-demo"])],
                                  env={**env, "CANOPY_DATA_DIR": data_dir}, stdout=output, stderr=subprocess.STDOUT)
        try:
            for service in discover_services():
                wait_for_http(f"http://127.0.0.1:{port}/api/{service}/health/ready", timeout=ready_timeout)
            yield up, port, Path(data_dir), log
        finally:
            stop_process(up, timeout=60)


def wait_for_line(log: Path, text: str, process, timeout: float) -> bool:
    """Whether ``text`` appeared in ``log`` within ``timeout`` seconds (False at once if ``process`` ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if text in log.read_text():
            return True
        time.sleep(0.5)
    return text in log.read_text()


def process_tree_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and every descendant, from /proc (Linux)."""
    import os

    ticks = 0
    for each in [pid, *child_pids(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended between the listing and the read
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")

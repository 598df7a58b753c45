"""Authenticated read and write-with-event through portfolio's API, against bare Flask + SQLAlchemy.

Both apps run under the same gunicorn settings (2 workers, 1 thread each) on PostgreSQL and are
loaded in turn by wrk with keep-alive connections; each figure is the median of several rounds.

- Read: ``GET /v1/activities/{id}`` with a signed token (verification, the directory lookup behind
  the permission check, one row) vs. a bare select by primary key.
  Target: at least half the baseline's throughput, p99 under 50 ms at that load.
- Write: ``POST /v1/cpd-requests`` (validation, the caller's school from the directory, the request
  row and its outbox row in one commit, the relay woken) vs. a bare one-row insert per commit.
  Target: at least 60%.
- Also, for scale, ``POST /v1/people/{id}/activities`` (the activity, its two evaluation rows and an
  outbox row): the heaviest everyday write, no target of its own.

Also reports the resident memory of the api workers after the load.

    python -m bench.http_api [--seconds 5] [--repeats 3] [--quick] [--no-write]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from bench.common import (
    RABBITMQ_URL, benchmark_arguments, child_pids, free_port, markdown_table, median, met, postgres_database,
    publish, rss_mb, stop_process, versions, wait_for_http,
)
from bench.http_apps import BASELINE_URL_VARIABLE, TOKEN_KEY_VARIABLE, baseline_tables
from bench.load import Load, run_wrk

TITLE = "Authenticated read and write with event (portfolio API)"
CONNECTIONS = 4  # two per worker: a worker always has the next request waiting
READ_TARGET, WRITE_TARGET, P99_TARGET_MS = 0.5, 0.6, 50.0
KINDS = ("read", "write", "activity")
ACTIVITY = {"title": "Reading fluency", "activity_type": "course", "delivery": "external", "provider": "Hub",
            "starts_on": "2025-03-10", "ends_on": "2025-03-10", "hours": 6, "cost": 120.50,
            "cover_needed": True, "linked_standards": ["TS3", "TS5"]}
CPD_REQUEST = {"title": "NPQ for Senior Leadership", "activity_type": "qualification", "provider": "Hub",
               "starts_on": (date.today() + timedelta(days=30)).isoformat(),  # a request asks beforehand
               "ends_on": (date.today() + timedelta(days=200)).isoformat(), "hours": 60, "cost": 0.00,
               "cover_needed": False, "reason": "Preparing to lead the school's curriculum work"}


@dataclass
class Target:
    """One app being served, and how to read and write through it."""
    base_url: str
    read_path: str
    writes: dict[str, tuple[str, dict]]  # kind -> (path, body)
    headers: dict
    server: subprocess.Popen


def start_server(app: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.serve", app, "--port", str(port)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base_url + "/health/ready")
    except TimeoutError:
        stop_process(server)
        raise
    return server, base_url


@contextmanager
def served(app: str, env: dict):
    server, base_url = start_server(app, env)
    try:
        yield server, base_url
    finally:
        stop_process(server)


@contextmanager
def portfolio_target(metrics_dir: str):
    """Portfolio on a fresh database with one school, one teacher and one of her activities."""
    from bench.http_apps import minter_from_hex
    from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
    from portfolio.service import SERVICE

    key = os.urandom(32).hex()
    with postgres_database() as url, tempfile.TemporaryDirectory() as data_dir:
        harness = ServiceHarness(SERVICE, url, minter=minter_from_hex(key))
        try:
            directory = StaffDirectory(harness)
            teacher = directory.person("Pia", directory.school("Ash Primary"))
            headers = directory.headers(teacher)
            created = harness.client.post(f"/v1/people/{teacher}/activities", json=ACTIVITY, headers=headers)
            assert created.status_code == 201, created.get_json()
        finally:
            harness.dispose()
        env = {"PORTFOLIO_DATABASE_URL": url, "PORTFOLIO_BUS_URL": RABBITMQ_URL, "PORTFOLIO_DATA_DIR": data_dir,
               "PROMETHEUS_MULTIPROC_DIR": metrics_dir, TOKEN_KEY_VARIABLE: key}
        with served("portfolio", env) as (server, base_url):
            yield Target(base_url, f"/v1/activities/{created.get_json()['id']}",
                         {"write": ("/v1/cpd-requests", CPD_REQUEST),
                          "activity": (f"/v1/people/{teacher}/activities", ACTIVITY)}, headers, server)


@contextmanager
def baseline_target(metrics_dir: str):
    from sqlalchemy import create_engine, insert

    with postgres_database() as url:
        metadata, items = baseline_tables()
        engine = create_engine(url)
        with engine.begin() as conn:
            metadata.create_all(conn)
            conn.execute(insert(items).values(id="item-1", title="Reading fluency", hours=6))
        engine.dispose()
        env = {BASELINE_URL_VARIABLE: url, "PROMETHEUS_MULTIPROC_DIR": metrics_dir}
        with served("baseline", env) as (server, base_url):
            row = ("/items", {"title": "Reading fluency", "hours": 6})
            yield Target(base_url, "/items/item-1", {"write": row, "activity": row}, {}, server)


def load_read(target: Target, seconds: float) -> Load:
    return run_wrk(target.base_url + target.read_path, seconds=seconds, connections=CONNECTIONS,
                   headers=target.headers)


def load_write(kind: str):
    def load(target: Target, seconds: float) -> Load:
        path, body = target.writes[kind]
        return run_wrk(target.base_url + path, seconds=seconds, connections=CONNECTIONS, headers=target.headers,
                       method="POST", body=body)

    return load


def median_load(loads: list[Load]) -> Load:
    return Load(requests_per_second=median([x.requests_per_second for x in loads]),
                p50_ms=median([x.p50_ms for x in loads]), p99_ms=median([x.p99_ms for x in loads]),
                errors=sum(x.errors for x in loads))


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    return [rss_mb(pid) for pid in child_pids(server.pid)]


def measure(seconds: float, repeats: int) -> dict:
    """Rounds alternate between the two apps so that noise from other work on the machine falls
    on both alike."""
    loads: dict[str, dict[str, list[Load]]] = {kind: {"canopy": [], "baseline": []} for kind in KINDS}
    with ExitStack() as stack:
        metrics_dir = stack.enter_context(tempfile.TemporaryDirectory())
        targets = {"canopy": stack.enter_context(portfolio_target(metrics_dir)),
                   "baseline": stack.enter_context(baseline_target(metrics_dir))}
        for kind, load in (("read", load_read), ("write", load_write("write")), ("activity", load_write("activity"))):
            for _ in range(repeats):
                for name, target in targets.items():
                    loads[kind][name].append(load(target, seconds))
        worker_rss = worker_rss_mb(targets["canopy"].server)
    results = {kind: {name: median_load(runs) for name, runs in by_app.items()} for kind, by_app in loads.items()}
    results["api_worker_rss_mb"] = worker_rss
    return results


def report(results: dict, seconds: float, repeats: int) -> str:
    rows = []
    for kind, target, what in (("read", READ_TARGET, "GET one activity (token, permission check)"),
                               ("write", WRITE_TARGET, "POST a CPD request (one row + its outbox row)"),
                               ("activity", None, "POST an activity (+2 evaluation rows, outbox row), for scale")):
        canopy, baseline = results[kind]["canopy"], results[kind]["baseline"]
        ratio = canopy.requests_per_second / baseline.requests_per_second
        if target is None:
            goal, verdict = "", ""
        else:
            is_met = ratio >= target and (kind != "read" or canopy.p99_ms < P99_TARGET_MS)
            goal = f"≥ {target:.0%} of baseline" + (f", p99 < {P99_TARGET_MS:.0f} ms" if kind == "read" else "")
            verdict = met(is_met)
        rows.append([what, f"{canopy.requests_per_second:,.0f} req/s (p50 {canopy.p50_ms:.1f} ms, p99 "
                     f"{canopy.p99_ms:.1f} ms)", f"{baseline.requests_per_second:,.0f} req/s (p50 "
                     f"{baseline.p50_ms:.1f} ms, p99 {baseline.p99_ms:.1f} ms)", f"{ratio:.0%}", goal, verdict])
    errors = sum(results[k][n].errors for k in KINDS for n in ("canopy", "baseline"))
    intro = (f"{versions()}. Gunicorn 2 workers x 1 thread for both apps, wrk with {CONNECTIONS} keep-alive "
             f"connections, {seconds:g} s per round, median of {repeats} alternating rounds; latency is at "
             f"the saturating load. Non-2xx responses or socket errors: {errors}.")
    return intro + "\n\n" + markdown_table(["request", "Canopy (portfolio)", "baseline: bare Flask + SQLAlchemy",
                                            "ratio", "target", "met"], rows)


def main(argv=None) -> int:
    parser = benchmark_arguments(__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    seconds, repeats = (1, 1) if args.quick else (args.seconds, args.repeats)
    results = measure(seconds, repeats)
    publish(TITLE, report(results, seconds, repeats), write=not args.no_write)
    print("api worker RSS after the load:", ", ".join(f"{mb:.0f} MB" for mb in results["api_worker_rss_mb"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

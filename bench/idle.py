"""Idle CPU of the embedded default, and how fast an event crosses it after a quiet spell.

``canopy up`` with its demo data runs in a data folder of its own. Once it says the demo data has
reached every service and a settling period has passed, the CPU time of its whole process tree
(launcher, gateway, every worker) is read from /proc at the start and end of each window; the
report gives the median window and the busiest, as a share of one core. Target: under 2% of one
core for the whole platform.

Also reported: how long after the start every service answered ready (a figure here, never a
test's assertion). Then propagation after quiet: events committed into identity's outbox through
identity's unit of work (as a request commits them), each after a quiet spell long enough for
every idle wait to have backed off to its ceiling, timed from the commit returning to the last of
the services that keep a staff directory (observation, portfolio, reporting) stamping
``inbox.processed_at``.

    python -m bench.idle [--seconds 60] [--events 5] [--quick] [--no-write]
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from bench.common import (
    DEMO_DELIVERED, benchmark_arguments, embedded_platform, markdown_table, median, met, process_tree_cpu_seconds,
    publish, wait_for_line,
)

TITLE = "Idle CPU of the embedded default (`make up`)"
CPU_TARGET_PERCENT = 2.0
WINDOW_SECONDS = 5.0
SETTLE_SECONDS = 20.0  # after the demo data has arrived: every idle wait reaches its ceiling
QUIET_BEFORE_EVENT_SECONDS = 12.0  # longer than the relay's idle ceiling (10 s)
DEMO_DELIVERY_TIMEOUT = 900.0
DIRECTORY_KEEPERS = ("observation", "portfolio", "reporting")


def sample_cpu(pid: int, seconds: float, window: float = WINDOW_SECONDS) -> list[float]:
    """The CPU use of a process tree in each window, in percent of one core."""
    shares = []
    for _ in range(max(1, round(seconds / window))):
        before, started = process_tree_cpu_seconds(pid), time.monotonic()
        time.sleep(window)
        shares.append(100 * (process_tree_cpu_seconds(pid) - before) / (time.monotonic() - started))
    return shares


def _runtimes(data_dir: Path, names) -> dict:
    from canopy_kit.service import Runtime, discover_services
    from canopy_kit.settings import Settings

    services = discover_services()
    return {name: Runtime(services[name], Settings.from_env(name, {"CANOPY_DATA_DIR": str(data_dir)}))
            for name in names if name in services}


def _handled_at(runtime, event_id: str) -> datetime | None:
    from sqlalchemy import select

    from canopy_kit.db.tables import inbox

    with runtime.engine.connect() as conn:
        stamp = conn.execute(select(inbox.c.processed_at)
                             .where(inbox.c.event_id == event_id, inbox.c.status == "done")).scalar()
    return None if stamp is None else stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def propagation_after_quiet(data_dir: Path, events: int, quiet: float, timeout: float = 60.0) -> list[float]:
    """Milliseconds from each commit to the last directory keeper handling it, one event at a time."""
    from canopy_kit.testing.probe import TRUST_ID, person_payload

    runtimes = _runtimes(data_dir, ("identity", *DIRECTORY_KEEPERS))
    identity, keepers = runtimes.pop("identity"), runtimes
    latencies = []
    try:
        for _ in range(events):
            time.sleep(quiet)
            with identity.uow_factory() as uow:
                event_id = uow.publish("identity.person.registered", person_payload("Idle"), trust_id=TRUST_ID)
                uow.commit()
            committed = datetime.now(timezone.utc)
            deadline = time.monotonic() + timeout
            handled: dict[str, datetime] = {}
            while len(handled) < len(keepers):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"event not handled by {sorted(set(keepers) - set(handled))} in {timeout:g} s")
                for name, runtime in keepers.items():
                    stamp = handled.get(name) or _handled_at(runtime, event_id)
                    if stamp is not None:
                        handled[name] = stamp
                time.sleep(0.02)
            latencies.append((max(handled.values()) - committed).total_seconds() * 1000)
    finally:
        for runtime in (identity, *keepers.values()):
            runtime.dispose()
    return latencies


def measure(seconds: float, events: int, *, demo: bool = True, settle: float = SETTLE_SECONDS,
            quiet: float = QUIET_BEFORE_EVENT_SECONDS) -> dict:
    started = time.monotonic()
    with embedded_platform(demo=demo) as (up, _port, data_dir, log):
        ready = time.monotonic() - started
        if demo and not wait_for_line(log, DEMO_DELIVERED, up, DEMO_DELIVERY_TIMEOUT):
            raise TimeoutError("the demo data never reached every service:\n" + log.read_text()[-2000:])
        delivered = time.monotonic() - started
        time.sleep(settle)
        shares = sample_cpu(up.pid, seconds)
        latencies = propagation_after_quiet(data_dir, events, quiet)
    return {"cpu_percent": shares, "latency_ms": latencies, "seconds": seconds, "demo": demo,
            "ready_after": ready, "delivered_after": delivered}


def report(results: dict) -> str:
    shares, latencies = results["cpu_percent"], results["latency_ms"]
    cpu, busiest = median(shares), max(shares)
    rows = [[f"whole platform, idle, {len(shares)} windows of {WINDOW_SECONDS:g} s (median)", f"{cpu:.2f}%",
             f"< {CPU_TARGET_PERCENT:g}%", met(cpu < CPU_TARGET_PERCENT)],
            ["busiest window", f"{busiest:.2f}%", "", ""],
            [f"one event after {QUIET_BEFORE_EVENT_SECONDS:g} s of quiet, commit to the last of "
             f"{len(DIRECTORY_KEEPERS)} consumers (median of {len(latencies)})", f"{median(latencies):.0f} ms", "", ""],
            ["the same, slowest", f"{max(latencies):.0f} ms", "", ""],
            ["ready: every service answers `/health/ready` through the gateway, after the start",
             f"{results['ready_after']:.1f} s", "", ""]]
    demo = (f"with its demo data, which reached every service {results['delivered_after']:.0f} s after the start"
            if results["demo"] else "without demo data")
    return (f"`canopy up` {demo}; then left alone for {SETTLE_SECONDS:g} s and sampled for "
            f"{results['seconds']:g} s: CPU time (user and system) of the launcher, the gateway and every worker, "
            "from /proc, as a share of one core. Waiting processes block on doorbells (named pipes a writer rings) "
            "rather than polling. No baseline: the target is absolute (the figures from before are in this "
            "section's introduction).\n\n"
            + markdown_table(["what", "measured", "target", "met"], rows))


def main(argv=None) -> int:
    parser = benchmark_arguments(__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--events", type=int, default=5)
    args = parser.parse_args(argv)
    if args.quick:
        results = measure(WINDOW_SECONDS, 1, demo=False, settle=1, quiet=1)
    else:
        results = measure(args.seconds, args.events)
    publish(TITLE, report(results), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

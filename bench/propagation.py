"""End-to-end propagation: from a producer's commit to the consuming service's handling of it.

identity's relay (``canopy identity relay``) and the probe service's consumer run as separate
processes on PostgreSQL and RabbitMQ, as in production. This process commits one
``identity.person.registered`` event per transaction into identity's outbox at steady rates
(the relay is woken by NOTIFY at each commit) and notes when each commit returned; the consumer
handles what has arrived at once (a batch waits for company only while there is a backlog) and
stamps ``inbox.processed_at`` inside its transaction, just before it commits. The differences
give p50 and p99. Targets: p50 under 20 ms, p99 under 100 ms.

Also reports the resident memory of the relay and consumer processes after the load.

    python -m bench.propagation [--rates 50 150] [--seconds 15] [--quick] [--no-write]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone

from bench.common import (
    RABBITMQ_URL, benchmark_arguments, bus_names, markdown_table, met, percentile, postgres_database, publish,
    rss_mb, stop_process, versions,
)

TITLE = "End-to-end propagation (commit to consumer, separate processes)"
P50_TARGET_MS, P99_TARGET_MS = 20.0, 100.0
WAIT_SECONDS = 60.0


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def handled_at(probe_runtime, event_ids: list[str]) -> dict[str, datetime]:
    from sqlalchemy import select

    from canopy_kit.db.tables import inbox

    with probe_runtime.engine.connect() as conn:
        rows = conn.execute(select(inbox.c.event_id, inbox.c.processed_at)
                            .where(inbox.c.event_id.in_(event_ids), inbox.c.status == "done")).all()
    return {event_id: processed for event_id, processed in rows}


def wait_until_handled(probe_runtime, event_ids: list[str], processes) -> dict[str, datetime]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = handled_at(probe_runtime, event_ids)
        if len(found) == len(event_ids):
            return found
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            raise TimeoutError(f"{len(found)} of {len(event_ids)} events handled; relay and consumer exit codes "
                               f"{[p.poll() for p in processes]}")
        time.sleep(0.1)


def produce(identity_runtime, rate: float, seconds: float) -> dict[str, datetime]:
    """One event per transaction at a steady rate; returns when each commit returned."""
    from canopy_kit.testing.probe import TRUST_ID, person_payload

    committed: dict[str, datetime] = {}
    started, count = time.monotonic(), int(rate * seconds)
    for n in range(count):
        delay = started + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        with identity_runtime.uow_factory() as uow:
            event_id = uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            uow.commit()
        committed[event_id] = datetime.now(timezone.utc)
    return committed


def measure(rate: float, seconds: float) -> dict:
    from canopy_kit.service import Runtime
    from canopy_kit.testing import declare_queue, make_settings, prepare_database
    from canopy_kit.testing.probe import probe_spec
    from identity.service import SERVICE as IDENTITY

    with ExitStack() as stack:
        names = stack.enter_context(bus_names())
        identity_url, probe_url = stack.enter_context(postgres_database()), stack.enter_context(postgres_database())
        data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        bus = {"bus_url": RABBITMQ_URL, "exchange": names.exchange, "queue_prefix": names.queue_prefix}
        identity = Runtime(IDENTITY, make_settings("identity", database_url=identity_url, **bus))
        stack.callback(identity.dispose)
        probe = Runtime(probe_spec(), make_settings("probe", database_url=probe_url, **bus))
        stack.callback(probe.dispose)
        prepare_database(identity)
        prepare_database(probe)
        declare_queue(probe)
        shared = {"CANOPY_EXCHANGE": names.exchange, "CANOPY_QUEUE_PREFIX": names.queue_prefix,
                  "CANOPY_DATA_DIR": data_dir, "CANOPY_BUS_URL": RABBITMQ_URL}
        relay = start(["canopy_kit.cli", "identity", "relay"], {**shared, "IDENTITY_DATABASE_URL": identity_url})
        stack.callback(stop_process, relay)
        total = 1 + int(rate * seconds)  # the first event only shows that both processes are up
        consumer = start(["canopy_kit.testing.probe", "consume", str(total), str(WAIT_SECONDS + seconds + 60)],
                         {**shared, "PROBE_DATABASE_URL": probe_url})
        stack.callback(stop_process, consumer)
        wait_until_handled(probe, list(produce(identity, 1, 1)), [relay, consumer])
        started = time.monotonic()
        committed = produce(identity, rate, seconds)
        achieved = len(committed) / (time.monotonic() - started)
        handled = wait_until_handled(probe, list(committed), [relay, consumer])
        memory = {"relay": rss_mb(relay.pid), "consumer": rss_mb(consumer.pid)}
    latencies = [(handled[event_id] - at).total_seconds() * 1000 for event_id, at in committed.items()]
    return {"p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies), "events": len(latencies), "rss_mb": memory, "rate": rate,
            "achieved_rate": achieved}


def measure_rates(rates: list[float], seconds: float) -> list[dict]:
    """One run per offered rate, each with fresh databases and processes."""
    return [measure(rate, seconds) for rate in rates]


def report(runs: list[dict], seconds: float) -> str:
    from canopy_kit.settings import Settings

    rows = [[f"{run['rate']:g} events/s ({run['achieved_rate']:.0f} achieved), {run['events']:,} events",
             f"{run['p50_ms']:.1f} ms", f"{run['p99_ms']:.1f} ms", f"{run['max_ms']:.1f} ms",
             met(run["p50_ms"] < P50_TARGET_MS and run["p99_ms"] < P99_TARGET_MS)] for run in runs]
    return (f"{versions()}. One event per transaction at a steady offered rate for {seconds:g} s; identity's "
            f"relay and the probe's consumer are separate processes (relay woken by NOTIFY, consumer handling what "
            f"has arrived at once, up to {Settings.consumer_batch_size} per batch). Measured from the producer's commit returning to the consumer's `inbox.processed_at` "
            f"(stamped in its transaction just before the commit). No baseline: the targets are absolute "
            f"(p50 < {P50_TARGET_MS:.0f} ms, p99 < {P99_TARGET_MS:.0f} ms).\n\n"
            + markdown_table(["offered load", "p50", "p99", "max", "targets met"], rows))


def main(argv=None) -> int:
    parser = benchmark_arguments(__doc__)
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 150])
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args(argv)
    rates, seconds = ([20], 1) if args.quick else (args.rates, args.seconds)
    runs = measure_rates(rates, seconds)
    publish(TITLE, report(runs, seconds), write=not args.no_write)
    print("after the load:", ", ".join(f"{kind} RSS {mb:.0f} MB" for kind, mb in runs[-1]["rss_mb"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

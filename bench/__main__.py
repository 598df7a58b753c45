"""Run every benchmark in order against this machine's PostgreSQL and RabbitMQ, print each table
and record them in docs/performance.md (``make bench``).

    python -m bench [--quick] [--no-write]
"""
from __future__ import annotations

import time

from bench import consumer, http_api, idle, import_staff, memory, propagation, relay, reports, web_pages
from bench.common import benchmark_arguments, postgres_database, publish

def sizes(quick: bool) -> dict:
    if quick:
        return {"http": (1, 1), "relay": (50, 1), "consumer": (50, 1), "propagation": ([20], 1), "import": (30, 1),
                "idle": (idle.WINDOW_SECONDS, 1), "web_pages": 3}
    return {"http": (5, 3), "relay": (5000, 3), "consumer": (3000, 3), "propagation": ([50, 150], 15),
            "import": (10_000, 3), "idle": (60, 5), "web_pages": 20}


def run_all(quick: bool, write: bool) -> None:
    chosen = sizes(quick)

    started = time.monotonic()
    seconds, repeats = chosen["http"]
    http = http_api.measure(seconds, repeats)
    publish(http_api.TITLE, http_api.report(http, seconds, repeats), write=write)
    events, repeats = chosen["relay"]
    relayed = relay.measure(events, repeats)
    publish(relay.TITLE, relay.report(relayed, events, repeats), write=write)
    events, repeats = chosen["consumer"]
    consumed = consumer.measure(events, repeats)
    publish(consumer.TITLE, consumer.report(consumed, events, repeats), write=write)
    rates, seconds = chosen["propagation"]
    flows = propagation.measure_rates(rates, seconds)
    publish(propagation.TITLE, propagation.report(flows, seconds), write=write)
    rows, repeats = chosen["import"]
    backends = {"SQLite": import_staff.sqlite_database(), "PostgreSQL": postgres_database}
    imported = import_staff.measure(backends, rows, repeats)
    publish(import_staff.TITLE, import_staff.report(imported, rows, repeats), write=write)
    memory_results = memory.measure(http["api_worker_rss_mb"], flows[-1]["rss_mb"], demo=not quick)
    publish(memory.TITLE, memory.report(memory_results), write=write)
    publish(reports.TITLE, reports.report(reports.measure(reports.QUICK if quick else reports.FULL)), write=write)
    seconds, events = chosen["idle"]
    quiet = {"demo": False, "settle": 1, "quiet": 1} if quick else {}
    publish(idle.TITLE, idle.report(idle.measure(seconds, events, **quiet)), write=write)
    publish(web_pages.TITLE, web_pages.report(web_pages.measure(chosen["web_pages"])), write=write)
    print(f"\nAll benchmarks ran in {time.monotonic() - started:.0f} s.")


def main(argv=None) -> int:
    args = benchmark_arguments(__doc__).parse_args(argv)
    run_all(args.quick, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

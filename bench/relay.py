"""Relay throughput: outbox rows to RabbitMQ with publisher confirms, against raw kombu.

The kit's relay reads a batch of outbox rows, publishes it, waits until the broker confirmed every
message and only then marks the rows published. Baselines, measured in the same run on the same
messages to the same quorum queue: kombu publishing one at a time and waiting for each confirm
(``confirm_publish=True``), and publishing with no confirms at all (the upper bound, which gives
no guarantee). Target: at least 3 times the one-at-a-time confirmed rate.

    python -m bench.relay [--events 5000] [--repeats 3] [--quick] [--no-write]
"""
from __future__ import annotations

import time

from bench.common import markdown_table, median, met, versions
from bench.probe_bus import probe_on_postgres, publish_raw, purge, run_event_benchmark, unpublished_messages

TITLE = "Relay throughput (outbox to RabbitMQ with confirms)"
TARGET_RATIO = 3.0


def measure(events: int, repeats: int) -> dict[str, float]:
    from canopy_kit.bus.connection import events_exchange
    from canopy_kit.testing import relay_all
    from canopy_kit.testing.probe import publish_people

    rates: dict[str, list[float]] = {"relay": [], "confirmed one at a time": [], "no confirms": []}
    with probe_on_postgres() as (runtime, names):
        queue_name = runtime.settings.queue_name("probe")
        exchange = events_exchange(names.exchange)
        for _ in range(repeats):
            publish_people(runtime, events)
            messages = unpublished_messages(runtime)
            sizes = [len(body.encode()) for _, _, body in messages]
            started = time.perf_counter()
            assert relay_all(runtime) == events
            rates["relay"].append(events / (time.perf_counter() - started))
            purge(queue_name)
            for name, confirm in (("confirmed one at a time", True), ("no confirms", False)):
                started = time.perf_counter()
                publish_raw(messages, exchange=exchange, confirm=confirm)
                rates[name].append(events / (time.perf_counter() - started))
                purge(queue_name)
    return {**{name: median(values) for name, values in rates.items()}, "body bytes": median(sizes)}


def report(results: dict[str, float], events: int, repeats: int) -> str:
    confirmed = results["confirmed one at a time"]
    ratio = results["relay"] / confirmed
    rows = [
        ["Canopy relay (outbox → confirmed publish → rows marked)", f"{results['relay']:,.0f} events/s",
         f"{ratio:.1f}x", f"≥ {TARGET_RATIO:g}x the confirmed baseline", met(ratio >= TARGET_RATIO)],
        ["baseline: kombu, confirm waited one at a time", f"{confirmed:,.0f} events/s", "1.0x", "", ""],
        ["upper bound: kombu, no confirms", f"{results['no confirms']:,.0f} events/s",
         f"{results['no confirms'] / confirmed:.1f}x", "", ""],
    ]
    return (f"{versions()}. {events:,} persistent person-registered events ({results['body bytes']:.0f} bytes) to one "
            f"quorum queue, median of {repeats} runs; the relay's figure includes reading the rows and marking them "
            f"published.\n\n" + markdown_table(["publisher", "rate", "vs. confirmed baseline", "target", "met"],
                                              rows))


def main(argv=None) -> int:
    return run_event_benchmark(argv, __doc__, TITLE, measure, report, default_events=5000)


if __name__ == "__main__":
    raise SystemExit(main())

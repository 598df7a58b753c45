"""Consumer throughput: events handled with inbox dedupe into a read model, against raw kombu.

The kit's consumer (the probe service: ``identity.person.registered`` into a table) takes the
messages that have arrived, up to ``consumer_batch_size`` (with a backlog, as here, full batches:
after a full batch it waits briefly for the next to fill), records each in the inbox and runs its
handler in one transaction, commits, then acks. The baseline, measured in the same run on the same number of
messages from a quorum queue with the same prefetch: a kombu consume-and-ack loop that does
nothing else. Target: at least 2,000 events per second on this machine.

    python -m bench.consumer [--events 3000] [--repeats 3] [--quick] [--no-write]
"""
from __future__ import annotations

import threading
import time

from bench.common import markdown_table, median, met, versions
from bench.probe_bus import (
    consume_raw, probe_on_postgres, publish_raw, raw_queue, run_event_benchmark, unpublished_messages,
)

TITLE = "Consumer throughput (inbox dedupe into a read model)"
TARGET_PER_SECOND = 2000
POLL_SECONDS = 0.01


def time_kit_consumer(runtime, expected_effects: int, timeout: float = 120.0) -> float:
    """Seconds from starting the consumer until the read model holds ``expected_effects`` rows."""
    from canopy_kit.processes import build_consumer
    from canopy_kit.testing.probe import count_effects

    consumer, stop = build_consumer(runtime), threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    started = time.perf_counter()
    thread.start()
    try:
        while count_effects(runtime) < expected_effects:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"consumer did not handle {expected_effects} events in {timeout}s")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - started
    finally:
        stop.set()
        thread.join(timeout=30)


def measure(events: int, repeats: int) -> dict[str, float]:
    from canopy_kit.testing import relay_all
    from canopy_kit.testing.probe import publish_people

    rates: dict[str, list[float]] = {"kit": [], "raw": []}
    with probe_on_postgres() as (runtime, names):
        queue = raw_queue(names)
        for round_number in range(1, repeats + 1):
            publish_people(runtime, events)
            messages = unpublished_messages(runtime)
            relay_all(runtime)
            rates["kit"].append(events / time_kit_consumer(runtime, events * round_number))
            publish_raw(messages, exchange=queue.exchange, routing_key=queue.routing_key, confirm=False)
            started = time.perf_counter()
            consume_raw(queue, events)
            rates["raw"].append(events / (time.perf_counter() - started))
        batch_size, prefetch = runtime.settings.consumer_batch_size, runtime.settings.consumer_prefetch
    return {"kit": median(rates["kit"]), "raw": median(rates["raw"]), "batch size": batch_size,
            "prefetch": prefetch}


def report(results: dict[str, float], events: int, repeats: int) -> str:
    rows = [["Canopy consumer (inbox dedupe + read-model insert, batch of "
             f"{results['batch size']:.0f} per transaction)", f"{results['kit']:,.0f} events/s",
             f"{results['kit'] / results['raw']:.0%}", f"≥ {TARGET_PER_SECOND:,} events/s",
             met(results["kit"] >= TARGET_PER_SECOND)],
            ["baseline: kombu consume and ack, no database", f"{results['raw']:,.0f} events/s", "100%", "", ""]]
    return (f"{versions()}. {events:,} person-registered events waiting in a quorum queue, prefetch "
            f"{results['prefetch']:.0f}, median "
            f"of {repeats} runs; the consumer's time runs from its start (connecting included) to the last "
            f"read-model row committed.\n\n"
            + markdown_table(["consumer", "rate", "vs. baseline", "target", "met"], rows))


def main(argv=None) -> int:
    return run_event_benchmark(argv, __doc__, TITLE, measure, report, default_events=3000)


if __name__ == "__main__":
    raise SystemExit(main())

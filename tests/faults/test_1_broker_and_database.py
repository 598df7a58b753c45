"""The broker and the database fail under a steady write load: RabbitMQ stopped and killed,
PostgreSQL stopped fast and immediately; after each, nothing lost, doubled or stuck. And the
consumers' reconnect back-off starts again after every blip, however many there have been."""
from __future__ import annotations

import re
import time

import pytest

from canopy_kit.bus.consumer import FIRST_BACKOFF_SECONDS, HEALTHY_AFTER_SECONDS
from canopy_kit.testing.faults.consistency import consumed_types

pytestmark = pytest.mark.integration

BLIPS = 6  # before the back-off reset, the sixth blip in a process's life already cost 30 s
PAUSE_LINE = re.compile(r"consumer paused: .*\(retrying in ([0-9.]+)s\)")
CONSUMING_LINE = re.compile(r"consuming \S+ \(\d+ event types\)")  # logged on every (re)connection
RECONNECT_WAIT_SECONDS = 60


BROKER_FAULTS = {  # what takes the broker down, what brings it back, and how the report says it
    "stopped": (lambda node: node.stop_app(), lambda node: node.start_app(),
                "`rabbitmqctl stop_app`, 3 s, `start_app`"),
    "killed": (lambda node: node.kill(), lambda node: node.start(),
               "SIGKILL to the node's Erlang VM, 3 s, started again (quorum queues recover from disk)"),
}


@pytest.mark.parametrize("fault", BROKER_FAULTS)
def test_broker_fails_under_load(tier, fault):
    down, up, how = BROKER_FAULTS[fault]
    with tier.load.running():
        time.sleep(2)
        down(tier.rabbitmq)
        time.sleep(3)
        up(tier.rabbitmq)
        ended = tier.after_fault()
    tier.settle(f"RabbitMQ {fault}", how, ended)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_restarted_under_load(tier, mode):
    with tier.load.running():
        time.sleep(2)
        tier.postgres.restart(mode)
        ended = tier.after_fault()
    tier.settle(f"PostgreSQL restarted ({mode})", f"`pg_ctl restart -m {mode}`"
                + (": no shutdown checkpoint, crash recovery" if mode == "immediate" else ": sessions ended"), ended)


def _log_offsets(tier) -> dict[str, int]:
    logs = tier.platform.logs()
    return {name: (logs / f"{name}-consumer.log").stat().st_size for name in consumed_types()}


def _first_back_off(tier, consumer: str, offset: int) -> float | None:
    """The first back-off the consumer logged after ``offset`` in its log, if it logged one."""
    with open(tier.platform.logs() / f"{consumer}-consumer.log", "rb") as log:
        log.seek(offset)
        for line in log.read().decode(errors="replace").splitlines():
            found = PAUSE_LINE.search(line)
            if found:
                return float(found.group(1))
    return None


def _logged_since(tier, consumer: str, offset: int, pattern: re.Pattern) -> bool:
    with open(tier.platform.logs() / f"{consumer}-consumer.log", "rb") as log:
        log.seek(offset)
        return bool(pattern.search(log.read().decode(errors="replace")))


def _blip_then_serve_healthily(tier) -> dict[str, int]:
    """One `stop_app`/`start_app`; then wait until every consumer has consumed again and its new
    connection has served long enough to count as healthy. Returns the logs' offsets before it."""
    offsets = _log_offsets(tier)
    tier.rabbitmq.stop_app()
    time.sleep(1)
    tier.rabbitmq.start_app()
    deadline = time.monotonic() + RECONNECT_WAIT_SECONDS
    waiting = set(offsets)
    while waiting and time.monotonic() < deadline:
        waiting = {name for name in waiting if not _logged_since(tier, name, offsets[name], CONSUMING_LINE)}
        time.sleep(0.5)
    assert not waiting, f"consumers not consuming again {RECONNECT_WAIT_SECONDS} s after a blip: {sorted(waiting)}"
    time.sleep(HEALTHY_AFTER_SECONDS + 2)  # timed from the reconnection, not from start_app
    return offsets


def test_back_off_starts_again_after_every_blip(tier):
    """Each blip is followed by longer than a connection needs to count as healthy, timed from the
    consumers' reconnection; the first pause every consumer logs for each blip must then be the
    shortest again. A blip first, not counted, so no earlier fault's back-off is still running."""
    first_pauses: list[tuple[int, str, float]] = []
    with tier.load.running():
        _blip_then_serve_healthily(tier)
        for blip in range(BLIPS):
            offsets = _blip_then_serve_healthily(tier)
            for consumer, offset in offsets.items():
                pause = _first_back_off(tier, consumer, offset)
                if pause is not None:
                    first_pauses.append((blip, consumer, pause))
        ended = tier.after_fault()
    tier.settle(f"{BLIPS} RabbitMQ blips", f"`stop_app`, 1 s, `start_app`, {BLIPS} times, each {HEALTHY_AFTER_SECONDS + 2:.0f} s "
                "after every consumer had reconnected", ended)
    late = [entry for entry in first_pauses if entry[0] == BLIPS - 1]
    assert late, "no consumer noticed the last blip"
    slower = [entry for entry in first_pauses if entry[2] != FIRST_BACKOFF_SECONDS]
    assert not slower, f"the back-off did not start again: {slower}"
    tier.ledger.add_check("consumer back-off after repeated broker blips (finding 4)",
                          f"{len(first_pauses)} pauses over {BLIPS} blips, each starting at {FIRST_BACKOFF_SECONDS} s")

"""Processes die under the load: every relay and consumer SIGKILLed, one of each deliberately
inside its transaction (caught on a lock the tier holds: the relay after the broker confirmed its
batch and before it marked it published, the consumer after its handlers wrote and before its
inbox record, and the consumer after its commit and before its acks reached the broker), and an
API's gunicorn workers SIGKILLed with requests in hand."""
from __future__ import annotations

import os
import signal
import time
from contextlib import ExitStack

import pytest

from sqlalchemy import text

from canopy_kit.testing.faults.injections import children_of, kill_all, lock_held, paused, wait_until_blocked
from canopy_kit.testing.http import wait_for

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["relay", "consumer"])
def test_every_relay_or_consumer_killed_under_load(tier, kind):
    platform = tier.platform
    with tier.load.running():
        time.sleep(2)
        killed = {process["name"]: platform.kill(process["name"]) for process in platform.processes(kind)}
        ended = tier.after_fault()
    for name, pid in killed.items():
        platform.wait_restarted(name, pid)
    tier.settle(f"every {kind} killed", f"SIGKILL to all {len(killed)} {kind}s at once; the launcher restarts "
                "them", ended)


def test_relay_killed_between_confirm_and_mark(tier):
    platform, engine = tier.platform, tier.platform.engine("identity")
    with tier.load.running():
        pid = platform.pid("identity-relay")
        with ExitStack() as locks:
            with paused(pid):
                time.sleep(1.5)  # events pile up in the outbox
                rows = locks.enter_context(
                    lock_held(engine, "SELECT id FROM outbox WHERE published_at IS NULL FOR UPDATE"))
            assert rows.fetchall(), "no unpublished events to catch the relay on"
            wait_until_blocked(engine, "UPDATE outbox")  # published and confirmed, not yet marked
            os.kill(pid, signal.SIGKILL)
        ended = tier.after_fault()
    platform.wait_restarted("identity-relay", pid)
    tier.settle("identity's relay killed inside its transaction",
                "SIGKILL once the broker confirmed its batch, before the rows are marked published (the batch "
                "is published again)", ended)


def test_consumer_killed_before_its_inbox_record(tier):
    platform, engine = tier.platform, tier.platform.engine("reporting")
    with tier.load.running():
        pid = platform.pid("reporting-consumer")
        with lock_held(engine, "LOCK TABLE inbox IN EXCLUSIVE MODE"):
            wait_until_blocked(engine, "INSERT INTO inbox")  # its handlers have written
            os.kill(pid, signal.SIGKILL)
        ended = tier.after_fault()
    platform.wait_restarted("reporting-consumer", pid)
    tier.settle("reporting's consumer killed inside its transaction",
                "SIGKILL after its handlers wrote, before the inbox record and the commit", ended)


def _inbox_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM inbox WHERE status = 'done'")).scalar()


def test_consumer_killed_between_its_commit_and_its_ack(tier):
    platform, engine, broker = tier.platform, tier.platform.engine("reporting"), tier.reporting_broker
    with tier.load.running():
        time.sleep(1)
        pid, before = platform.pid("reporting-consumer"), _inbox_rows(engine)
        broker.freeze()  # reporting's acks are held on this machine; deliveries still arrive
        try:
            wait_for(lambda: _inbox_rows(engine) >= before + 10, timeout=60,
                     what="reporting's consumer to commit events whose acks the broker has not had", interval=0.1)
            os.kill(pid, signal.SIGKILL)
            severed = broker.sever()  # the broker now holds them unacknowledged: it delivers them again
        finally:
            broker.thaw()
        ended = tier.after_fault()
    assert severed >= 1
    platform.wait_restarted("reporting-consumer", pid)
    tier.settle("reporting's consumer killed between its commit and its ack",
                "acks held by a proxy while it handled and committed, then SIGKILL and the connections cut: "
                "the broker delivers the committed events again", ended)
    # They were delivered again, and the inbox made each a duplicate: no second effect (settle).
    assert platform.metric("reporting-consumer", "canopy_events_consumed_total", outcome="duplicate") >= 1


def test_api_workers_killed_mid_request(tier):
    platform, engine = tier.platform, tier.platform.engine("identity")
    with tier.load.running():
        time.sleep(1)
        with lock_held(engine, "LOCK TABLE people IN EXCLUSIVE MODE"):
            wait_until_blocked(engine, "INSERT INTO people")  # a worker holds a request in hand
            workers = children_of(platform.pid("identity-api"))
            assert workers, "identity's API has no workers to kill"
            kill_all(workers)
        ended = tier.after_fault()
    tier.settle("identity's API workers killed mid-request",
                f"SIGKILL to its {len(workers)} gunicorn workers while a write waits on a lock; the client "
                "retries with its Idempotency-Key", ended)

"""Doorbells: what lets the embedded default's relays and consumers block while idle instead of
polling. Every assertion is about whether a bell was rung, never about how long anything took."""
import logging
import os

import pytest

from canopy_kit.bus.connection import open_connection
from canopy_kit.doorbell import Doorbell, ring, wait_any
from canopy_kit.events.outbox import relay_doorbell
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.probe import TRUST_ID, person_payload, probe_spec

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def test_a_ring_wakes_every_bell_of_its_topic_and_no_other(tmp_path):
    first, second, other = Doorbell(tmp_path, "q.events"), Doorbell(tmp_path, "q.events"), Doorbell(tmp_path, "q")
    try:
        assert not first.wait(0)  # nothing rung yet
        ring(tmp_path, "q.events")
        assert first.wait(0) and second.wait(0)
        assert not other.wait(0)  # "q" is a prefix of "q.events", not the same topic
        assert not first.wait(0)  # a wait clears the rings so far
    finally:
        for bell in (first, second, other):
            bell.close()
    assert not list(tmp_path.iterdir())  # closed bells leave nothing behind


def test_a_ring_before_the_wait_is_not_lost(tmp_path):
    bell = Doorbell(tmp_path, "topic")
    try:
        ring(tmp_path, "topic")
        ring(tmp_path, "topic")
        assert wait_any([bell], 5.0)  # returns at once: the bytes waited in the pipe
    finally:
        bell.close()


def test_a_dead_process_bell_is_removed_by_the_next_ring(tmp_path):
    stale = tmp_path / "topic.999999-0.bell"
    os.mkfifo(stale)  # nobody holds it open for reading, as after a crash
    ring(tmp_path, "topic")
    assert not stale.exists()


def test_a_commit_that_wrote_to_a_sqlite_outbox_rings_its_relay(tmp_path):
    runtime = Runtime(probe_spec(), make_settings("probe", database_url=f"sqlite:///{tmp_path}/probe.db"))
    prepare_database(runtime)
    folder, topic = relay_doorbell(runtime.engine)
    bell = Doorbell(folder, topic)
    try:
        with runtime.uow_factory() as uow:
            uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            uow.rollback()
        assert not bell.wait(0)  # nothing committed, nothing to publish
        with runtime.uow_factory() as uow:
            uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            assert not bell.wait(0)  # not before the commit: the relay would find nothing yet
            uow.commit()
        assert bell.wait(0)
    finally:
        bell.close()
        runtime.dispose()


def test_a_message_written_to_the_filesystem_bus_rings_its_queue(tmp_path):
    from kombu import Exchange, Queue

    bus_url = f"filesystem://{tmp_path}/bus"
    with open_connection(bus_url) as connection:
        exchange = Exchange("events", type="topic")
        queue = Queue("probe.events", exchange, routing_key="identity.#")
        queue(connection.default_channel).declare()
        bell = Doorbell(tmp_path / "bus" / "control", "probe.events")
        try:
            connection.Producer().publish({"n": 1}, exchange=exchange, routing_key="identity.person.registered")
            assert bell.wait(0)
        finally:
            bell.close()


def test_opening_the_filesystem_bus_warns_of_no_missing_host_name(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kombu"):
        with open_connection(f"filesystem://{tmp_path}/bus") as connection:
            connection.ensure_connection(max_retries=1)
    assert not [record for record in caplog.records if "hostname" in record.getMessage()]


def test_a_stopping_process_wakes_its_own_waiters(tmp_path):
    from canopy_kit.doorbell import wake_this_process

    bell = Doorbell(tmp_path, "topic")
    try:
        wake_this_process()  # what the kit's SIGTERM handler does after setting the stop flag
        assert bell.wait(0)
    finally:
        bell.close()

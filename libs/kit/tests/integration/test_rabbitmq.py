"""The relay and the consumer on real RabbitMQ and PostgreSQL."""
import socket
import threading

import pytest
from kombu import Connection, Producer
from sqlalchemy import func, select

from canopy_kit.bus.connection import events_exchange
from canopy_kit.bus.dead_letters import DeadLetters
from canopy_kit.bus.relay import OutboxRelay
from canopy_kit.db.tables import inbox, outbox
from canopy_kit.testing import consume_until_idle, declare_queue, relay_all, wait_until
from canopy_kit.testing.probe import count_effects, publish_people

pytestmark = pytest.mark.integration


def _queue_depth(url, name):
    with Connection(url) as conn:
        return conn.default_channel.queue_declare(name, passive=True).message_count


def _unpublished(runtime):
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar()


def _wait(predicate, timeout=20.0):
    return wait_until(predicate, timeout)


def test_relay_publishes_with_confirms_and_marks_rows(probe_factory, postgres_url, rabbitmq_url, bus_names):
    runtime = probe_factory(postgres_url, rabbitmq_url, relay_batch_size=100)
    declare_queue(runtime)
    ids = publish_people(runtime, 250)
    assert relay_all(runtime) == 250
    assert _unpublished(runtime) == 0
    queue = bus_names.queue("probe").main
    assert _queue_depth(rabbitmq_url, queue) == 250
    with Connection(rabbitmq_url) as conn:
        message = conn.default_channel.basic_get(queue, no_ack=True)
    assert message.properties["message_id"] == ids[0]  # in order, message id = event id
    assert message.properties["delivery_mode"] == 2  # persistent


def test_relay_waits_while_the_connection_is_down_and_resumes(probe_factory, postgres_url, rabbitmq_url, bus_names):
    runtime = probe_factory(postgres_url, rabbitmq_url, relay_poll_seconds=0.2)
    declare_queue(runtime)
    relay = OutboxRelay(runtime.settings, runtime.engine)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    thread.start()
    try:
        publish_people(runtime, 20)
        assert _wait(lambda: _unpublished(runtime) == 0)
        # Cut the relay's broker connection under it, as a network failure would.
        sock = relay._publisher.connection.connection.sock
        sock.shutdown(socket.SHUT_RDWR)
        publish_people(runtime, 30)
        assert _wait(lambda: _unpublished(runtime) == 0), "relay did not resume after the connection dropped"
    finally:
        stop.set()
        thread.join(10)
    # Everything arrived; a batch cut mid-confirm may arrive twice, never less than once.
    assert _queue_depth(rabbitmq_url, bus_names.queue("probe").main) >= 50
    consume_until_idle(runtime)
    assert count_effects(runtime) == 50


def test_a_second_relay_stands_by_while_the_first_holds_the_lock(probe_factory, postgres_url, rabbitmq_url):
    runtime = probe_factory(postgres_url, rabbitmq_url)
    from canopy_kit.bus.relay import Waker

    first, second = Waker(runtime.settings, runtime.engine), Waker(runtime.settings, runtime.engine)
    try:
        assert first.try_lock() is True
        assert second.try_lock() is False
        first.close()  # the server ends the session, and its lock, shortly after
        assert _wait(second.try_lock, timeout=10), "standby relay never took over"
    finally:
        first.close()
        second.close()


def test_duplicate_delivery_has_no_second_effect(probe_factory, postgres_url, rabbitmq_url):
    runtime = probe_factory(postgres_url, rabbitmq_url)
    declare_queue(runtime)
    publish_people(runtime, 10)
    relay_all(runtime)
    with runtime.engine.begin() as conn:  # the relay "forgot" it had published them
        conn.execute(outbox.update().values(published_at=None))
    relay_all(runtime)
    consume_until_idle(runtime)
    assert count_effects(runtime) == 10
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(inbox)).scalar() == 10


def test_failing_message_reaches_dead_letter_queue_and_consumer_carries_on(
        probe_factory, postgres_url, rabbitmq_url, bus_names):
    runtime = probe_factory(postgres_url, rabbitmq_url, consumer_max_attempts=3)
    declare_queue(runtime)
    [bad] = publish_people(runtime, 1, given_name="Fail")
    publish_people(runtime, 5)
    relay_all(runtime)
    names = bus_names.queue("probe")
    stop = threading.Event()
    from canopy_kit.processes import build_consumer

    consumer = build_consumer(runtime)
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert _wait(lambda: _queue_depth(rabbitmq_url, names.dead) == 1), "no dead letter"
        publish_people(runtime, 3)  # the consumer is still working after a dead letter
        relay_all(runtime)
        assert _wait(lambda: count_effects(runtime) == 8)
    finally:
        stop.set()
        thread.join(10)
    letters = DeadLetters(runtime.settings, runtime.uow_factory)
    [letter] = letters.list()
    assert (letter.event_id, letter.attempts) == (bad, 3)
    assert "always fails" in letter.error
    assert letters.show(bad).detail()["envelope"]["event_id"] == bad
    assert _queue_depth(rabbitmq_url, names.dead) == 1  # listing does not consume
    assert letters.redrive({bad}) == 1
    assert _queue_depth(rabbitmq_url, names.dead) == 0
    assert _queue_depth(rabbitmq_url, names.main) == 1


def test_invalid_message_is_dead_lettered_at_once(probe_factory, postgres_url, rabbitmq_url, bus_names):
    runtime = probe_factory(postgres_url, rabbitmq_url)
    declare_queue(runtime)
    exchange = events_exchange(bus_names.exchange)
    with Connection(rabbitmq_url) as conn:
        Producer(conn.default_channel).publish(
            "{not json", exchange=exchange, routing_key="identity.person.registered", message_id="garbled",
            declare=[exchange], content_type="application/json")
    consume_until_idle(runtime)
    assert _queue_depth(rabbitmq_url, bus_names.queue("probe").dead) == 1
    [letter] = DeadLetters(runtime.settings, runtime.uow_factory).list()
    assert letter.event_id == "garbled" and "not JSON" in letter.error

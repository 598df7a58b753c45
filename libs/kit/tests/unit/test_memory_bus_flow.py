"""Outbox -> relay -> bus -> inbox consumer, in one process on the memory bus and SQLite."""
from sqlalchemy import select

from canopy_kit.bus.dead_letters import DeadLetters
from canopy_kit.db.tables import inbox, outbox
from canopy_kit.testing import consume_until_idle, declare_queue, outbox_events, relay_all
from canopy_kit.testing.probe import count_effects, publish_people


def test_events_flow_from_outbox_to_consumer_once(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url)
    declare_queue(runtime)
    ids = publish_people(runtime, 5)
    assert [e.event_id for e in outbox_events(runtime, unpublished_only=True)] == ids
    assert relay_all(runtime) == 5
    assert outbox_events(runtime, unpublished_only=True) == []
    consume_until_idle(runtime)
    assert count_effects(runtime) == 5


def test_relay_marks_rows_only_once_and_keeps_order(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url)
    declare_queue(runtime)
    first = publish_people(runtime, 3)
    second = publish_people(runtime, 2)
    assert relay_all(runtime) == 5
    assert relay_all(runtime) == 0  # nothing is published twice by a healthy relay
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_id).order_by(outbox.c.id)).scalars().all()
    assert rows == first + second


def test_duplicate_delivery_has_no_second_effect(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url)
    declare_queue(runtime)
    publish_people(runtime, 3)
    relay_all(runtime)
    # Pretend the relay died after the broker confirmed but before it marked the rows: it
    # publishes the same events again.
    with runtime.engine.begin() as conn:
        conn.execute(outbox.update().values(published_at=None))
    assert relay_all(runtime) == 3
    consume_until_idle(runtime)
    assert count_effects(runtime) == 3
    with runtime.engine.connect() as conn:
        statuses = conn.execute(select(inbox.c.status)).scalars().all()
    assert statuses == ["done"] * 3


def test_failing_handler_is_retried_then_parked_dead_and_can_be_redriven(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url, consumer_max_attempts=3)
    declare_queue(runtime)
    publish_people(runtime, 1, given_name="Fail")
    publish_people(runtime, 2)
    relay_all(runtime)
    consume_until_idle(runtime, idle_rounds=12)  # long enough for three tries 50 ms apart
    assert count_effects(runtime) == 2  # the good ones were not held up by the bad one
    letters = DeadLetters(runtime.settings, runtime.uow_factory).list()
    assert len(letters) == 1 and letters[0].attempts == 3 and "always fails" in letters[0].error

    # Fix the data the handler trips on, then re-drive: it is handled once.
    with runtime.engine.begin() as conn:
        body = conn.execute(select(inbox.c.envelope).where(inbox.c.status == "dead")).scalar_one()
        conn.execute(inbox.update().where(inbox.c.status == "dead").values(envelope=body.replace("Fail", "Fixed")))
    assert DeadLetters(runtime.settings, runtime.uow_factory).redrive() == 1
    consume_until_idle(runtime, idle_rounds=4)
    assert count_effects(runtime) == 3
    assert DeadLetters(runtime.settings, runtime.uow_factory).list() == []


def test_an_event_refused_by_meaning_is_dead_lettered_at_once(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url, consumer_max_attempts=5)
    declare_queue(runtime)
    publish_people(runtime, 1, given_name="Refuse")
    publish_people(runtime, 1)
    relay_all(runtime)
    consume_until_idle(runtime, idle_rounds=4)
    assert count_effects(runtime) == 1
    letters = DeadLetters(runtime.settings, runtime.uow_factory).list()
    # A Conflict will not change by trying again: one attempt, not five, and the meaning is kept.
    assert len(letters) == 1 and letters[0].attempts == 1 and "Conflict" in letters[0].error


def test_invalid_message_is_dead_lettered_at_once(probe_factory, sqlite_url):
    from kombu import Producer

    from canopy_kit.bus.connection import events_exchange, open_connection

    runtime = probe_factory(sqlite_url)
    declare_queue(runtime)
    with open_connection("memory://") as conn:
        exchange = events_exchange(runtime.settings.exchange)
        Producer(conn.default_channel).publish(
            '{"event_type": "identity.person.registered", "payload": {}}', exchange=exchange,
            routing_key="identity.person.registered", message_id="not-an-envelope", declare=[exchange],
            content_type="application/json")
    consume_until_idle(runtime)
    letters = DeadLetters(runtime.settings, runtime.uow_factory).list()
    assert [(l.event_id, l.attempts) for l in letters] == [("not-an-envelope", 0)]
    assert "event_id" in letters[0].error
    assert count_effects(runtime) == 0

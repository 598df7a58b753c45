"""Poison on the real broker: whatever a message's bytes or headers, it is handled, retried or
dead-lettered, its neighbours go through, and the dead-letter tool lists, shows and re-drives it."""
import json

import pytest
from kombu import Connection, Producer

from canopy_kit.bus.connection import events_exchange
from canopy_kit.bus.dead_letters import DeadLetters
from canopy_kit.testing import consume_until_idle, declare_queue, relay_all
from canopy_kit.testing.probe import TRUST_ID, count_effects, person_payload, publish_people
from canopy_contracts import new_envelope

pytestmark = pytest.mark.integration

DEEP = "[" * 100_000 + "]" * 100_000  # json.loads raises RecursionError on this


def _publish(url, exchange_name, body, *, message_id, headers=None):
    exchange = events_exchange(exchange_name)
    with Connection(url) as conn:
        Producer(conn.default_channel).publish(
            body, exchange=exchange, routing_key="identity.person.registered", message_id=message_id,
            headers=headers or {}, declare=[exchange], content_type="application/json")


def _person_event() -> str:
    return new_envelope(event_type="identity.person.registered", version=1, producer="identity",
                        trust_id=TRUST_ID, payload=person_payload("Odd")).to_json()


def test_poison_of_every_kind_is_dead_lettered_and_its_neighbours_go_through(
        probe_factory, postgres_url, rabbitmq_url, bus_names):
    runtime = probe_factory(postgres_url, rabbitmq_url, consumer_max_attempts=2)
    declare_queue(runtime)
    publish_people(runtime, 3)
    relay_all(runtime)
    url, exchange = rabbitmq_url, bus_names.exchange
    _publish(url, exchange, DEEP, message_id="deep")
    _publish(url, exchange, b"\xff\xfe not utf-8", message_id="x" * 200)  # no usable id either
    _publish(url, exchange, "{\"event_id\": \"\u0000\"}", message_id="nul")
    # A good event whose attempts header is not a count: handled.
    _publish(url, exchange, _person_event(), message_id="odd-header", headers={"x-canopy-attempts": "many"})
    publish_people(runtime, 3)
    relay_all(runtime)

    consume_until_idle(runtime)
    assert count_effects(runtime) == 7  # six people and the one with the odd header
    letters = DeadLetters(runtime.settings, runtime.uow_factory)
    listed = letters.list()
    assert sorted(letter.event_id for letter in listed) == sorted(["deep", "x" * 200, "nul"])
    assert all(letter.event_type == "unknown" for letter in listed)
    deep = letters.show("deep").detail()
    assert "nested too deeply" in deep["error"] and deep["envelope"] == DEEP
    json.dumps(letters.show("nul").detail())  # shown whatever it holds
    assert letters.redrive({"deep"}) == 1
    consume_until_idle(runtime)  # re-driven, it is as invalid as before: back in the dead queue
    assert sorted(letter.event_id for letter in letters.list()) == sorted(["deep", "x" * 200, "nul"])
    assert count_effects(runtime) == 7

"""What a consumer does when a batch, the database or the broker fails: only the message at fault
counts an attempt, a database outage counts none, and a recovered connection resets the back-off."""
import threading
from contextlib import nullcontext
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import OperationalError

import canopy_kit.bus.consumer as consumer_module
from canopy_kit.bus.consumer import FIRST_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS, EventConsumer
from canopy_kit.bus.messages import attempts_of
from canopy_kit.events.inbox import Delivery, Outcome
from canopy_kit.testing import make_settings


class Processor:
    """Fails the whole batch while the culprit is in a batch with others, or while the database
    is "down"; handles what it is given otherwise (the culprit alone: its handler fails)."""

    def __init__(self, culprit="poison", down=0):
        self.culprit, self.down, self.batches = culprit, down, []

    def process(self, batch):
        self.batches.append([d.message_id for d in batch])
        if self.down:
            self.down -= 1
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("the database is away"))
        if len(batch) > 1 and any(d.message_id == self.culprit for d in batch):
            raise RuntimeError("the commit failed")
        for delivery in batch:
            delivery.outcome = Outcome.FAILED if delivery.message_id == self.culprit else Outcome.HANDLED
        return batch


def _consumer(processor):
    settings = make_settings("probe", database_url="sqlite://", consumer_max_attempts=5)
    consumer = EventConsumer(settings, processor=processor, routing_keys=())
    consumer.settled = []
    consumer._settle = lambda delivery: consumer.settled.append((delivery.message_id, delivery.outcome))
    return consumer


def _deliveries(*ids):
    return [Delivery(body="{}", message_id=i) for i in ids]


def test_a_batch_that_fails_as_a_whole_costs_only_its_culprit_an_attempt():
    consumer = _consumer(Processor())
    consumer._buffer = _deliveries("a", "poison", "b")
    assert consumer._handle_buffer() is True
    assert consumer.settled == [("a", Outcome.HANDLED), ("poison", Outcome.FAILED), ("b", Outcome.HANDLED)]
    assert consumer._buffer == []


def test_while_the_database_is_away_the_batch_waits_and_nobody_counts_an_attempt():
    processor = Processor(down=2)
    consumer = _consumer(processor)
    consumer._buffer = _deliveries("a", "b")
    assert consumer._handle_buffer() is False and consumer._handle_buffer() is False
    assert [d.message_id for d in consumer._buffer] == ["a", "b"] and consumer.settled == []
    assert consumer._handle_buffer() is True
    # Handled, not failed: the outage was held against nobody.
    assert consumer.settled == [("a", Outcome.HANDLED), ("b", Outcome.HANDLED)]
    assert processor.batches == [["a", "b"]] * 3


@pytest.mark.parametrize("value, attempts", [(None, 0), ("3", 3), ("many", 0), ([1], 0), (-4, 0), (10**40, 1_000_000)])
def test_an_attempts_header_that_is_not_a_count_reads_as_none(value, attempts):
    assert attempts_of({"x-canopy-attempts": value}) == attempts


def test_a_message_whose_properties_and_headers_are_odd_is_still_taken():
    consumer = _consumer(Processor())
    consumer._on_message(SimpleNamespace(headers={"x-canopy-attempts": "lots"}, body=b"\xff\xfe{",
                                         properties={"message_id": 12345}))
    [delivery] = consumer._buffer
    assert (delivery.attempts, delivery.message_id) == (0, None) and "\ufffd" in delivery.body


class RecordingStop(threading.Event):
    def __init__(self, rounds):
        super().__init__()
        self.waits, self.rounds = [], rounds

    def wait(self, timeout=None):
        self.waits.append(timeout)
        if len(self.waits) >= self.rounds:
            self.set()
        return self.is_set()


def test_the_back_off_starts_again_after_a_connection_that_served_well(monkeypatch):
    consumer = _consumer(Processor())
    monkeypatch.setattr(consumer_module, "open_connection", lambda url: nullcontext())
    calls = {"n": 0}

    def consume(connection, stop, idle_callback):
        calls["n"] += 1
        if calls["n"] == 8:  # this connection served a minute before the broker blipped
            consumer._connected_at = consumer_module.time.monotonic() - 60
        raise ConnectionResetError("broker went away")

    consumer._consume = consume
    stop = RecordingStop(rounds=10)
    consumer.run(stop)
    assert stop.waits[:7] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, MAX_BACKOFF_SECONDS]
    assert stop.waits[7:] == [FIRST_BACKOFF_SECONDS, 1.0, 2.0]

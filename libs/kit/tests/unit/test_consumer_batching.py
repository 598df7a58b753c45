"""How the consumer makes batches: what has arrived is handled at once; only a backlog waits to fill."""
import socket
from types import SimpleNamespace

from canopy_kit.bus.consumer import EventConsumer
from canopy_kit.testing import make_settings


class ScriptedConnection:
    """Delivers the messages that have "arrived" and notes how long each drain would wait."""

    def __init__(self, consumer: EventConsumer, arrived: int):
        self.consumer = consumer
        self.arrived = arrived
        self.waits: list[float] = []

    def drain_events(self, timeout=None):
        self.waits.append(timeout)
        if not self.arrived:
            raise socket.timeout()
        self.arrived -= 1
        self.consumer._on_message(SimpleNamespace(headers={}, body=b"{}", properties={"message_id": "m"}))


def _consumer(batch_size: int) -> EventConsumer:
    settings = make_settings("probe", database_url="sqlite://", consumer_batch_size=batch_size)
    return EventConsumer(settings, processor=None, routing_keys=())


def test_what_has_arrived_is_taken_without_waiting_for_company():
    consumer = _consumer(batch_size=10)
    connection = ScriptedConnection(consumer, arrived=3)
    assert consumer._fill_buffer(connection) is False
    assert len(consumer._buffer) == 3
    assert connection.waits[1:] == [0, 0, 0]  # after the first message: only what is already there


def test_a_burst_is_cut_at_the_batch_size():
    consumer = _consumer(batch_size=4)
    connection = ScriptedConnection(consumer, arrived=6)
    consumer._fill_buffer(connection)
    assert len(consumer._buffer) == 4 and connection.arrived == 2


def test_after_a_full_batch_the_next_waits_a_little_to_fill():
    consumer = _consumer(batch_size=4)
    consumer._backlog = True
    connection = ScriptedConnection(consumer, arrived=2)
    consumer._fill_buffer(connection)
    assert len(consumer._buffer) == 2
    assert connection.waits[-1] > 0  # it waited for a third before handling the two


def test_idle_when_nothing_arrives():
    consumer = _consumer(batch_size=4)
    connection = ScriptedConnection(consumer, arrived=0)
    assert consumer._fill_buffer(connection) is True
    assert consumer._buffer == [] and len(connection.waits) == 1


def test_only_a_full_batch_means_a_backlog():
    consumer = _consumer(batch_size=2)
    consumer.processor = SimpleNamespace(process=lambda batch: batch)
    consumer._settle = lambda delivery: None
    for arrived, backlog in ((2, True), (1, False)):
        consumer._fill_buffer(ScriptedConnection(consumer, arrived=arrived))
        consumer._handle_buffer()
        assert consumer._backlog is backlog

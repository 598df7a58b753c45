"""The relay's backlog gauges are kept fresh without a query between every wake-up and the next."""
from sqlalchemy import create_engine

from canopy_kit.bus import relay as relay_module
from canopy_kit.bus.relay import OutboxRelay
from canopy_kit.testing import make_settings


def test_backlog_is_queried_at_most_once_per_interval(monkeypatch):
    relay = OutboxRelay(make_settings("probe", database_url="sqlite://"), create_engine("sqlite://"))
    queries = []
    monkeypatch.setattr(relay, "backlog", lambda: queries.append(1) or (0, 0.0))
    clock = [1000.0]
    monkeypatch.setattr(relay_module.time, "monotonic", lambda: clock[0])
    for _ in range(5):  # five wake-ups within the interval
        relay._report_backlog()
    assert len(queries) == 1
    clock[0] += relay_module.REPORT_EVERY_SECONDS
    relay._report_backlog()
    assert len(queries) == 2


def test_a_stopping_relay_finishes_the_batch_in_hand_and_leaves_the_backlog(monkeypatch):
    import threading

    relay = OutboxRelay(make_settings("probe", database_url="sqlite://", relay_batch_size=10),
                        create_engine("sqlite://"))
    batches = []
    monkeypatch.setattr(relay, "publish_batch", lambda: batches.append(10) or 10)  # always a full batch waiting
    stop = threading.Event()
    stop.set()
    assert relay.drain(stop) == 10 and len(batches) == 1

"""The embedded bus's transport: whole messages only, in order, and a backlog read without listing
the folder once per message."""
import os

from kombu import Exchange, Queue

from canopy_kit.bus.connection import open_connection


def test_a_backlog_is_read_in_order_with_a_few_listings(tmp_path, monkeypatch):
    exchange = Exchange("canopy.test", type="topic")
    queue = Queue("reporting.events", exchange, routing_key="#")
    other = Queue("portfolio.events", exchange, routing_key="identity.#")
    with open_connection(f"filesystem://{tmp_path}") as conn:
        producer = conn.Producer()
        for q in (queue, other):
            q(conn.default_channel).declare()
        for n in range(300):
            producer.publish({"n": n}, exchange=exchange, routing_key="observation.record.shared",
                             declare=[exchange])
        listings = []
        real_listdir = os.listdir
        monkeypatch.setattr(os, "listdir", lambda path: listings.append(path) or real_listdir(path))
        got = []
        with conn.Consumer([queue], callbacks=[lambda body, message: (got.append(body["n"]), message.ack())]):
            while len(got) < 300:
                conn.drain_events(timeout=2)
    assert got == list(range(300))
    assert len(listings) <= 5  # kombu's own reader lists the folder for every message
    assert not [name for name in real_listdir(tmp_path / "queues") if "reporting" in name]

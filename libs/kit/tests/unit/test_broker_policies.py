"""The platform's RabbitMQ policies, and putting them on a broker through its management API."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from canopy_kit.production.broker_policies import Broker, apply_policies
from canopy_kit.production.rabbitmq import policies


def test_broker_dead_lettering_is_at_least_once_where_the_broker_does_it():
    by_name = {policy["name"]: policy for policy in policies("", "/")}
    main, retry = by_name["canopy-events-delivery-limit"], by_name["canopy-retries-at-least-once"]
    for policy in (main, retry):
        assert policy["definition"]["dead-letter-strategy"] == "at-least-once"
        assert policy["definition"]["overflow"] == "reject-publish"  # at-least-once needs it
    assert main["definition"]["delivery-limit"] > 1
    assert retry["pattern"] == r"^[a-z0-9_-]+\.events\.retry$"


def test_a_prefixed_platform_keeps_its_own_policies():
    names = {policy["name"] for policy in policies("blue.", "/")}
    assert names == {"blue.canopy-events-delivery-limit", "blue.canopy-retries-at-least-once",
                     "blue.canopy-dead-letters-bounded"}
    assert all(policy["pattern"].startswith(r"^blue\.") for policy in policies("blue.", "/"))


def test_the_broker_is_read_from_the_bus_url():
    assert Broker.of("amqp://u:p%40ss@rabbit:5673/canopy") == Broker("rabbit", 5673, "canopy", "u", "p@ss")
    assert Broker.of("amqp://guest:guest@127.0.0.1:5672//").vhost == "/"


class _Management(BaseHTTPRequestHandler):
    received: list = []

    def do_PUT(self):  # noqa: N802 (the http.server interface)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, self.headers["Authorization"], body))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_policies_go_through_the_management_api_when_it_answers():
    server = HTTPServer(("127.0.0.1", 0), _Management)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        how, detail = apply_policies("amqp://ops:secret@127.0.0.1:5999/canopy", "",
                                     {"RABBITMQ_MANAGEMENT_URL": f"http://127.0.0.1:{server.server_port}"})
    finally:
        server.shutdown()
    assert how == "management" and "3 policies" in detail
    paths = [path for path, _, _ in _Management.received]
    assert "/api/policies/canopy/canopy-retries-at-least-once" in paths
    assert {auth for _, auth, _ in _Management.received} == {"Basic b3BzOnNlY3JldA=="}  # ops:secret
    retry = next(body for path, _, body in _Management.received if path.endswith("retries-at-least-once"))
    assert retry["definition"]["dead-letter-strategy"] == "at-least-once" and retry["apply-to"] == "queues"


def test_a_broker_it_cannot_reach_is_reported_with_what_to_do():
    how, detail = apply_policies("amqp://guest:guest@192.0.2.1:5671//", "",
                                 {"RABBITMQ_MANAGEMENT_URL": "http://127.0.0.1:9"})
    assert how == "missing" and "definitions.json" in detail and "management API" in detail

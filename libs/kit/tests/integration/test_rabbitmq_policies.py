"""``up-prod`` puts the platform's policies on this machine's RabbitMQ: the quorum delivery limit and
at-least-once dead-lettering reach the queues the processes declare."""
import shutil
import subprocess
import time

import pytest

from canopy_kit.bus.connection import open_connection
from canopy_kit.bus.topology import declare_consumer_topology
from canopy_kit.production.broker_policies import apply_policies
from canopy_kit.production.rabbitmq import policies
from canopy_kit.testing.plugin import unavailable

pytestmark = pytest.mark.integration


def _ctl(*args: str) -> str:
    return subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True,
                          timeout=60).stdout


def test_up_prod_puts_the_policies_on_the_local_broker(rabbitmq_url, bus_names):
    if shutil.which("rabbitmqctl") is None:
        unavailable("rabbitmqctl", "not installed")
    prefix = bus_names.queue_prefix
    try:
        how, detail = apply_policies(rabbitmq_url, prefix, {"RABBITMQ_MANAGEMENT_URL": "http://127.0.0.1:9"})
        assert how == "rabbitmqctl", detail
        names = bus_names.queue("probe")
        with open_connection(rabbitmq_url) as connection:
            declare_consumer_topology(connection, exchange_name=bus_names.exchange, queue_name=names.main,
                                      routing_keys=("identity.person.registered",))
        applied = {}
        for _ in range(50):  # a policy reaches a new queue a moment after its declaration
            rows = [line.split("\t") for line in _ctl("list_queues", "name", "policy").splitlines()]
            applied = {row[0]: row[1] for row in rows if len(row) == 2 and row[0].startswith(prefix)}
            if len(applied) == 3 and all(applied.values()):
                break
            time.sleep(0.2)
        assert applied == {names.main: f"{prefix}canopy-events-delivery-limit",
                           names.retry: f"{prefix}canopy-retries-at-least-once",
                           names.dead: f"{prefix}canopy-dead-letters-bounded"}
    finally:
        for policy in policies(prefix, "/"):
            subprocess.run(["rabbitmqctl", "-q", "clear_policy", policy["name"]], capture_output=True, timeout=60)

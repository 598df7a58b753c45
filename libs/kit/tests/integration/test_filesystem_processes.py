"""Two processes exchange events over the filesystem bus (the embedded default): one records and
relays, the other consumes into its own database."""
import os
import subprocess
import sys

import pytest

from canopy_kit.testing import declare_queue
from canopy_kit.testing.probe import count_effects

pytestmark = pytest.mark.integration


def _probe(args, env, timeout=60):
    return subprocess.run([sys.executable, "-m", "canopy_kit.testing.probe", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_two_processes_exchange_events_over_filesystem(probe_factory, tmp_path, bus_names):
    bus_url = f"filesystem://{tmp_path / 'bus'}"
    consumer_db = f"sqlite:///{tmp_path / 'consumer.db'}"
    consumer = probe_factory(consumer_db, bus_url)
    declare_queue(consumer)  # bindings live in the bus folder, visible to every process

    base = {**os.environ, "BUS_URL": bus_url, "CANOPY_EXCHANGE": bus_names.exchange,
            "CANOPY_QUEUE_PREFIX": bus_names.queue_prefix, "LOG_JSON": "0"}
    producer_env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'producer.db'}"}
    consumer_env = {**base, "DATABASE_URL": consumer_db}

    reader = subprocess.Popen([sys.executable, "-m", "canopy_kit.testing.probe", "consume", "25", "40"],
                              env=consumer_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _probe(["publish", "25"], producer_env).returncode == 0
    relayed = _probe(["relay"], producer_env)
    assert relayed.stdout.strip() == "25", relayed.stderr
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert count_effects(consumer) == 25


def test_a_busy_filesystem_bus_loses_nothing(probe_factory, tmp_path, bus_names):
    """A reader in one process takes files while another process writes them: every event must
    arrive whole (kombu's own transport could hand a reader a half-written file)."""
    bus_url = f"filesystem://{tmp_path / 'bus'}"
    consumer_db = f"sqlite:///{tmp_path / 'consumer.db'}"
    consumer = probe_factory(consumer_db, bus_url)
    declare_queue(consumer)
    base = {**os.environ, "BUS_URL": bus_url, "CANOPY_EXCHANGE": bus_names.exchange,
            "CANOPY_QUEUE_PREFIX": bus_names.queue_prefix, "LOG_JSON": "0"}
    producer_env = {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'producer.db'}"}
    assert _probe(["publish", "1500"], producer_env).returncode == 0
    reader = subprocess.Popen([sys.executable, "-m", "canopy_kit.testing.probe", "consume", "1500", "60"],
                              env={**base, "DATABASE_URL": consumer_db}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    relayed = _probe(["relay"], producer_env)  # writes while the reader is already draining
    assert relayed.stdout.strip() == "1500", relayed.stderr
    out, err = reader.communicate(timeout=90)
    assert reader.returncode == 0, err[-2000:]
    assert "JSONDecodeError" not in err
    assert count_effects(consumer) == 1500

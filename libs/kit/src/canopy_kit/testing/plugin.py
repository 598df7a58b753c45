"""pytest fixtures for Canopy tests (registered through the ``pytest11`` entry point).

Tests needing PostgreSQL or RabbitMQ use ``postgres_url`` / ``rabbitmq_url``. When the server is
absent they skip with a message, or fail when ``CANOPY_REQUIRE_SERVICES=1`` (CI sets it, so a
missing server can never pass as a skipped test). Each test gets its own database, exchange and
queue names, so runs cannot see each other.
"""
from __future__ import annotations

import os
import uuid

import pytest

from canopy_kit.bus.topology import QueueNames

POSTGRES_URL = os.environ.get("CANOPY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RABBITMQ_URL = os.environ.get("CANOPY_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


def services_required() -> bool:
    return os.environ.get("CANOPY_REQUIRE_SERVICES") == "1"


def unavailable(what: str, why: object) -> None:
    message = f"{what} is not reachable ({why})"
    if services_required():
        pytest.fail(f"{message}; CANOPY_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(f"{message}; start it to run this test (CI requires it)")


def pytest_configure(config):
    config.addinivalue_line("markers", "integration: talks to a real PostgreSQL or RabbitMQ")


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


@pytest.fixture(scope="session")
def _postgres_server() -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        unavailable("PostgreSQL", exc)
    finally:
        engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def postgres_url(_postgres_server, unique):
    """A fresh database for this test, dropped afterwards."""
    from sqlalchemy.engine import make_url

    from canopy_kit.db.migrations import drop_database, ensure_database

    url = make_url(_postgres_server).set(database=f"canopy_test_{unique}").render_as_string(hide_password=False)
    ensure_database(url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def _rabbitmq_server() -> str:
    from kombu import Connection

    try:
        with Connection(RABBITMQ_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        unavailable("RabbitMQ", exc)
    return RABBITMQ_URL


class BusNames:
    """An exchange and a queue prefix of this test's own; everything is deleted afterwards."""

    def __init__(self, unique: str):
        self.exchange = f"canopy.test.{unique}"
        self.queue_prefix = f"test.{unique}."
        self.consumers: set[str] = set()

    def queue(self, consumer: str) -> QueueNames:
        self.consumers.add(consumer)
        return QueueNames(f"{self.queue_prefix}{consumer}.events")


@pytest.fixture
def bus_names(unique) -> BusNames:
    return BusNames(unique)


@pytest.fixture
def rabbitmq_url(_rabbitmq_server, bus_names):
    yield _rabbitmq_server
    from kombu import Connection

    with Connection(_rabbitmq_server) as conn:
        channel = conn.channel()
        for consumer in bus_names.consumers:
            names = QueueNames(f"{bus_names.queue_prefix}{consumer}.events")
            for name in (names.main, names.retry, names.dead):
                try:
                    channel.queue_delete(name)
                except Exception:
                    channel = conn.channel()
        for name in (bus_names.exchange, bus_names.exchange + ".dlx"):
            try:
                channel.exchange_delete(name)
            except Exception:
                channel = conn.channel()

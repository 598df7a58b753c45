"""Pooled PostgreSQL connections: checked without a round trip, replaced when the server closed them."""
import select

import pytest
from sqlalchemy import text

from canopy_kit.db.engine import create_engine_for

pytestmark = pytest.mark.integration


@pytest.fixture
def engine(postgres_url):
    engine = create_engine_for(postgres_url)
    pings = []
    ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or ping(dbapi_connection)
    engine.pings = pings
    yield engine
    engine.dispose()


def _backend(conn):
    return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_quiet_pooled_connection_is_used_without_a_ping(engine):
    with engine.connect() as conn:
        first = _backend(conn)
    for _ in range(3):
        with engine.connect() as conn:
            assert _backend(conn) == first
    assert engine.pings == []


def test_a_connection_the_server_closed_is_replaced_before_use(engine, postgres_url):
    with engine.connect() as conn:
        doomed = _backend(conn)
        fd = conn.connection.dbapi_connection.fileno()
    admin = create_engine_for(postgres_url)
    with admin.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": doomed})
    admin.dispose()
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    assert poller.poll(10_000), "the server did not close the connection"
    with engine.connect() as conn:  # no error for the caller: the pool reconnected
        assert _backend(conn) != doomed
    assert engine.pings == [1]

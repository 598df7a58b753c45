"""Engines for PostgreSQL (psycopg 3) and SQLite tuned for several processes on one machine."""
from __future__ import annotations

import select
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine_for(database_url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url, echo=echo)
    engine = create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        echo=echo,
    )
    event.listen(engine, "checkout", _ping_if_the_server_spoke(engine))
    return engine


def _ping_if_the_server_spoke(engine: Engine):
    """A pool checkout listener making sure a pooled connection is alive before it is used,
    without a round trip when nothing says otherwise.

    An idle connection hears nothing from the server unless something happened: a restart, an
    idle timeout or ``pg_terminate_backend`` sends an error and closes it, a crash closes it. So
    the socket is looked at first (no round trip), and only a connection the server spoke to
    while it sat in the pool is pinged; if the ping fails the pool replaces the connection, as
    with ``pool_pre_ping``. That pinged on every checkout: a round trip on every request, about
    a fifth of a simple read's time under load.
    """

    def check(dbapi_connection, _record, _proxy) -> None:
        if not _has_input(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"the pooled connection is gone: {exc}") from exc

    return check


def _has_input(dbapi_connection) -> bool:
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):  # closed already
        return True


def _sqlite_engine(database_url: str, *, echo: bool) -> Engine:
    url = make_url(database_url)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(database_url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Take transaction control away from the sqlite3 module so that SAVEPOINT works and so
        # that we can BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # Several processes (API, relay, consumer) write the same file. A deferred transaction
        # that reads and then writes fails at once with SQLITE_BUSY if another process wrote in
        # between; taking the write lock up front makes it wait on busy_timeout instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"

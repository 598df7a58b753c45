"""Engines for PostgreSQL (psycopg 3) and SQLite tuned for several processes on one machine."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine_for(database_url: str, *, pool_size: int = 5, echo: bool = False) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url, echo=echo)
    return create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        echo=echo,
    )


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

"""Alembic wiring shared by every service.

Each database holds two migration histories: the kit's tables (``kit_migrations``, version table
``kit_alembic_version``) and the service's own (its ``migrations/``, version table
``alembic_version``). ``migrate`` applies both; a service's ``env.py`` is three lines.
``make_revision`` writes a service's next revision (``canopy <service> revision``).
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.engine import make_url

from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.tables import KIT_TABLES, kit_metadata

KIT_MIGRATIONS = Path(__file__).parent / "kit_migrations"
KIT_VERSION_TABLE = "kit_alembic_version"
VERSION_TABLES = frozenset({"alembic_version", KIT_VERSION_TABLE})
# What autogenerate and the schema check (canopy_kit.testing.schema) compare beyond tables,
# columns, nullability, indexes and constraints: column types and server defaults.
COMPARE_OPTIONS = {"compare_type": True, "compare_server_default": True}
# Revision ids are numbered: "0003" in a service, "k0003" in the kit.
NUMBERED_REVISION = re.compile(r"(?P<prefix>\D*)(?P<number>\d+)")


def _config(script_location: Path, engine: Engine | None = None, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        config.attributes["engine"] = engine
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, migrations_dir: Path, revision: str = "head", *, kit_tables: bool = True) -> None:
    """Bring the kit's tables and the service's tables up to ``revision`` (both: head). A database
    that is no service's (the web client's sessions) has no outbox or inbox: ``kit_tables=False``."""
    ensure_database(engine.url.render_as_string(hide_password=False))
    if kit_tables:
        with engine.begin() as connection:
            command.upgrade(_config(KIT_MIGRATIONS, engine, connection), "head")
    with engine.begin() as connection:
        command.upgrade(_config(migrations_dir, engine, connection), revision)


def next_revision_id(migrations_dir: Path) -> str:
    """The id after the highest numbered revision in ``migrations_dir``, in the same style:
    ``0003`` is followed by ``0004``, ``k0003`` by ``k0004``; an empty folder starts at ``0001``."""
    script = ScriptDirectory.from_config(_config(migrations_dir))
    numbered = [found for found in (NUMBERED_REVISION.fullmatch(revision.revision)
                                    for revision in script.walk_revisions()) if found]
    if not numbered:
        return "0001"
    highest = max(numbered, key=lambda found: int(found["number"]))
    return f"{highest['prefix']}{int(highest['number']) + 1:0{len(highest['number'])}d}"


def make_revision(migrations_dir: Path, message: str, *, metadata: MetaData | None = None,
                  database_url: str | None = None) -> Path:
    """Write the next revision of ``migrations_dir`` after its head, and return its file.

    Without ``metadata`` its upgrade is empty, to be written by hand. With it, Alembic's
    autogenerate writes what turns a database migrated to head into ``metadata``'s tables (the
    kit's tables are left to the kit's history). That database is ``database_url``, migrated to
    head first, or else a throwaway SQLite file.
    """
    rev_id = next_revision_id(migrations_dir)
    if metadata is None:
        return Path(command.revision(_config(migrations_dir), message=message, rev_id=rev_id).path)
    with tempfile.TemporaryDirectory(prefix="canopy-revision-") as folder:
        engine = create_engine_for(database_url or f"sqlite:///{Path(folder) / 'head.db'}")
        try:
            migrate(engine, migrations_dir)
            with engine.begin() as connection:
                config = _config(migrations_dir, engine, connection)
                config.attributes["target_metadata"] = metadata
                script = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()
    return Path(script.path)


def run_env(target_metadata: MetaData | None, *, version_table: str = "alembic_version") -> None:
    """The body of every ``env.py``: online migrations on the connection the kit passes in."""
    from alembic import context

    config = context.config
    is_kit = version_table == KIT_VERSION_TABLE
    # make_revision passes the service's tables as its spec has them.
    target_metadata = config.attributes.get("target_metadata", target_metadata)

    def include_object(obj, name, type_, reflected, compare_to):
        # The kit's tables belong to the kit's history, never to a service's autogenerate.
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        if table in KIT_TABLES or table == KIT_VERSION_TABLE:
            return is_kit
        return not is_kit

    def run(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying
            **COMPARE_OPTIONS,
        )
        with context.begin_transaction():
            context.run_migrations()

    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        run(connection)


def run_kit_env() -> None:
    run_env(kit_metadata, version_table=KIT_VERSION_TABLE)


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database if it does not exist (a database per service)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" or not url.database:
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()


def drop_database(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()

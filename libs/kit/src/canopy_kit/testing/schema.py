"""Do a service's migrations build the tables its code declares? Every service's test asks this on
SQLite and on PostgreSQL, so a table changed in code without its migration (or the reverse) fails
there, not in production.

The comparison is Alembic's own autogenerate comparison, the one ``canopy <service> revision
--autogenerate`` writes a revision from: a fresh database is migrated to head (the kit's history,
then the service's), and its reflected schema is compared with the kit's tables and the service's
``metadata``: tables, columns, types, nullability, server defaults, comments (PostgreSQL; SQLite
keeps none), indexes, unique constraints and foreign keys. Alembic does not compare CHECK
constraints or an index's ``WHERE`` clause, so this check cannot see those either.

No difference is ignored. Those Alembic reports on these two databases are all representable (a
revision can make them, or the table definition can say them), and none appears on a schema that
agrees with its migrations, so each one reported is real.
"""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import DefaultClause, Engine, MetaData

from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.migrations import COMPARE_OPTIONS, VERSION_TABLES, migrate
from canopy_kit.db.tables import KIT_TABLES, add_kit_tables
from canopy_kit.service import ServiceSpec, get_service


def tables_in_code(spec: ServiceSpec) -> MetaData:
    """The kit's tables and the service's, as one ``MetaData``."""
    expected = MetaData()
    for table in spec.metadata.tables.values():
        table.to_metadata(expected)
    add_kit_tables(expected)
    return expected


def _not_a_version_table(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name in VERSION_TABLES)


def schema_differences(spec: ServiceSpec, engine: Engine) -> list:
    """Migrate ``engine``'s (fresh) database to head and return what Alembic finds between it and
    the tables in code, as ``compare_metadata`` gives it (e.g. ``("add_column", None, "t", Column)``);
    empty when they agree."""
    migrate(engine, spec.migrations_dir)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={**COMPARE_OPTIONS, "include_name": _not_a_version_table})
        return compare_metadata(context, tables_in_code(spec))


def assert_schema_matches_code(service: str, database_url: str) -> None:
    """Fail, listing each difference, unless ``service``'s migrations build its tables in code on
    the (fresh) database at ``database_url``."""
    engine = create_engine_for(database_url)
    try:
        differences = schema_differences(get_service(service), engine)
    finally:
        engine.dispose()
    listed = "\n".join(f"  {_shown(difference)}" for difference in differences)
    assert not differences, (
        f"{service}'s migrations and its tables in code differ on {engine.dialect.name}:\n{listed}\n"
        f"add a revision (canopy {service} revision -m MESSAGE --autogenerate; a kit migration for the "
        f"kit's tables: {', '.join(sorted(KIT_TABLES))}) or correct the table in code")


def _shown(difference) -> str:
    """A difference as a line a person reads: server defaults as their SQL, not as objects."""
    if isinstance(difference, list):
        return "; ".join(_shown(each) for each in difference)
    return repr(tuple(f"DEFAULT {getattr(part.arg, 'text', part.arg)}" if isinstance(part, DefaultClause) else part
                      for part in difference))

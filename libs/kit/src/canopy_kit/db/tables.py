"""The kit's own tables, present in every service's database: the outbox, the inbox, idempotency
keys, the access log and the directory projection's ``dir_*`` tables.

They have their own migrations (``canopy_kit/db/kit_migrations``, version table
``kit_alembic_version``), so a service's migrations contain only its domain tables.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

kit_metadata = MetaData()

outbox = Table(
    "outbox",
    kit_metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("event_type", String(128), nullable=False),
    Column("envelope", Text, nullable=False),  # exactly the JSON that is published
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text, nullable=True),
)
Index(
    "ix_outbox_unpublished",
    outbox.c.id,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)

# status: done (handled, the dedupe record), retrying (failed, will be tried again: filesystem and
# memory transports only), dead (exhausted its attempts or invalid: filesystem and memory only;
# on RabbitMQ dead letters live in the <service>.events.dead queue).
inbox = Table(
    "inbox",
    kit_metadata,
    Column("consumer", String(64), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("event_type", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("envelope", Text, nullable=True),  # kept only while the event is not done
)
Index("ix_inbox_pending", inbox.c.consumer, inbox.c.status, inbox.c.next_attempt_at)

idempotency_keys = Table(
    "idempotency_keys",
    kit_metadata,
    Column("scope", String(300), primary_key=True),  # caller, method and path
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("response_headers", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Every read of someone else's personal records (appraisal, observation, portfolio): the person
# can see who read what, and when.
access_log = Table(
    "access_log",
    kit_metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("trust_id", String(36), nullable=False),
    Column("person_id", String(36), nullable=False),  # whose records
    Column("reader_id", String(36), nullable=False),
    Column("record_type", String(64), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_access_log_person", access_log.c.person_id, access_log.c.at)


# The directory projection (canopy_kit.projections.directory): every service's own copy of who
# works where, who manages whom and who holds which role, kept from identity's events. ``updated_at``
# is the occurrence time of the event that last wrote a row, so an older event arriving late never
# overwrites a newer one. Kit tables like the others (kit migration k0002), so they are defined here.
Id = String(36)

dir_schools = Table(
    "dir_schools", kit_metadata,
    Column("school_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("phase", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

dir_group_schools = Table(
    "dir_group_schools", kit_metadata,
    Column("group_id", Id, primary_key=True),
    Column("school_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
)

dir_people = Table(
    "dir_people", kit_metadata,
    Column("person_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("given_name", String(100), nullable=False),
    Column("family_name", String(100), nullable=False),
    Column("preferred_name", String(100), nullable=True),
    Column("email", String(254), nullable=False),
    Column("status", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

dir_employments = Table(
    "dir_employments", kit_metadata,
    Column("employment_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("school_id", Id, nullable=False, index=True),
    Column("job_title", String(200), nullable=False),
    Column("staff_category", String(16), nullable=False),
    Column("fte", Numeric(4, 3), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

dir_role_grants = Table(
    "dir_role_grants", kit_metadata,
    Column("grant_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("scope_type", String(16), nullable=False),
    Column("scope_id", Id, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

dir_line_managers = Table(
    "dir_line_managers", kit_metadata,
    Column("assignment_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("manager_id", Id, nullable=False, index=True),
    Column("school_id", Id, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_dir_line_managers_pair", dir_line_managers.c.manager_id, dir_line_managers.c.person_id)

KIT_TABLES = frozenset(kit_metadata.tables)


def add_kit_tables(metadata: MetaData) -> None:
    """Copy the kit's tables into ``metadata`` (for ``create_all`` in tests)."""
    for table in kit_metadata.tables.values():
        if table.name not in metadata.tables:
            table.to_metadata(metadata)

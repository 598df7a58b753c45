"""The directory projection's tables: every service's own copy of who works where, who manages
whom and who holds which role, kept from identity's events. ``updated_at`` is the occurrence time
of the event that last wrote a row, so an older event arriving late never overwrites a newer one."""
from sqlalchemy import Column, Date, DateTime, Index, Numeric, String, Table

from canopy_kit.db.tables import kit_metadata

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

"""The directory projection: who works where, who manages whom, who holds which role.

Revision ID: k0002
Revises: k0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "k0002"
down_revision = "k0001"
branch_labels = None
depends_on = None

Id = sa.String(36)


def _updated():
    return sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "dir_schools",
        sa.Column("school_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _updated(),
    )
    op.create_table(
        "dir_group_schools",
        sa.Column("group_id", Id, primary_key=True),
        sa.Column("school_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
    )
    op.create_table(
        "dir_people",
        sa.Column("person_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False, index=True),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _updated(),
    )
    op.create_table(
        "dir_employments",
        sa.Column("employment_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False, index=True),
        sa.Column("school_id", Id, nullable=False, index=True),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("staff_category", sa.String(16), nullable=False),
        sa.Column("fte", sa.Numeric(4, 3), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=True),
        _updated(),
    )
    op.create_table(
        "dir_role_grants",
        sa.Column("grant_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False, index=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("scope_type", sa.String(16), nullable=False),
        sa.Column("scope_id", Id, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        _updated(),
    )
    op.create_table(
        "dir_line_managers",
        sa.Column("assignment_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False, index=True),
        sa.Column("manager_id", Id, nullable=False, index=True),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=True),
        _updated(),
    )
    op.create_index("ix_dir_line_managers_pair", "dir_line_managers", ["manager_id", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_dir_line_managers_pair", table_name="dir_line_managers")
    for table in ("dir_line_managers", "dir_role_grants", "dir_employments", "dir_people", "dir_group_schools",
                  "dir_schools"):
        op.drop_table(table)

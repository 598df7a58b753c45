"""CPD requests: their facts (one row per request, from its submission and its decision) and their
cells per school and status.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.String(36)
Money = sa.Numeric(precision=14, scale=2)


def upgrade() -> None:
    op.create_table(
        "cpd_requests",
        sa.Column("request_id", Id, nullable=False),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        # What only the submission says: null while the decision arrived first.
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("academic_year", sa.Integer(), nullable=True),
        sa.Column("cost_asked", Money, nullable=True),
        sa.Column("cover_needed", sa.Boolean(), nullable=True),
        sa.Column("cost_decided", Money, nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("request_id"),
    )
    op.create_index("ix_cpd_requests_trust_year", "cpd_requests", ["trust_id", "academic_year"], unique=False)
    op.create_table(
        "cpd_request_cells",
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("status", sa.String(36), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("cost_asked", Money, nullable=False),
        sa.Column("cost_approved", Money, nullable=False),
        sa.PrimaryKeyConstraint("trust_id", "academic_year", "school_id", "status"),
    )


def downgrade() -> None:
    op.drop_table("cpd_request_cells")
    op.drop_index("ix_cpd_requests_trust_year", table_name="cpd_requests")
    op.drop_table("cpd_requests")

"""Access log: who read someone else's records, and when.

Revision ID: k0003
Revises: k0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "k0003"
down_revision = "k0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("trust_id", sa.String(36), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("reader_id", sa.String(36), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_access_log_person", "access_log", ["person_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_access_log_person", table_name="access_log")
    op.drop_table("access_log")

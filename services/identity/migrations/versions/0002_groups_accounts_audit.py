"""Groups of schools, one-time account tokens, login failures, the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "school_groups",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.UniqueConstraint("trust_id", "name", name="uq_school_groups_trust_name"),
    )
    op.create_table(
        "group_schools",
        sa.Column("group_id", Id, sa.ForeignKey("school_groups.id"), primary_key=True),
        sa.Column("school_id", Id, sa.ForeignKey("schools.id"), primary_key=True),
    )
    op.create_table(
        "account_tokens",
        sa.Column("id", Id, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", Id, primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=True, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", Id, nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_id", Id, nullable=True, index=True),
        sa.Column("client", sa.String(64), nullable=True),
        sa.Column("details", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    for table in ("login_failures", "account_tokens", "group_schools", "school_groups"):
        op.drop_table(table)

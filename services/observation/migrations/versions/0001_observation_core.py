"""Observation: frameworks, versioned form templates, records, action steps, shares, ratings, coaching pairs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False, index=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("trust_id", "key", name="uq_frameworks_trust_key"),
    )
    op.create_table(
        "framework_versions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("framework_id", Id, sa.ForeignKey("frameworks.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("framework_id", "version", name="uq_framework_versions"),
    )
    op.create_table(
        "framework_items",
        sa.Column("framework_version_id", Id, sa.ForeignKey("framework_versions.id"), primary_key=True),
        sa.Column("item_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("framework_id", Id, nullable=False, index=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "templates",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner_school_id", Id, nullable=True),
        sa.Column("shared_with", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", Id, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "template_versions",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("template_id", Id, sa.ForeignKey("templates.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("row_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("template_id", "version", name="uq_template_versions"),
    )
    op.create_table(
        "records",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("observer_id", Id, nullable=False, index=True),
        sa.Column("observee_id", Id, nullable=False, index=True),
        sa.Column("observed_on", sa.Date, nullable=False),
        sa.Column("class_name", sa.String(100), nullable=True),
        sa.Column("subject", sa.String(100), nullable=True),
        sa.Column("year_group", sa.String(32), nullable=True),
        sa.Column("template_version_id", Id, sa.ForeignKey("template_versions.id"), nullable=False),
        sa.Column("responses", sa.Text, nullable=False),
        sa.Column("strengths", sa.Text, nullable=True),
        sa.Column("privacy", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("observee_response", sa.Text, nullable=True),
        sa.Column("follows_up_record_id", Id, nullable=True),
        sa.Column("row_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_records_trust_school_date", "records", ['trust_id', 'school_id', 'observed_on'])
    op.create_table(
        "action_steps",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("record_id", Id, sa.ForeignKey("records.id"), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_in_record_id", Id, nullable=True),
    )
    op.create_table(
        "record_shares",
        sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("person_id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "record_ratings",
        sa.Column("record_id", Id, sa.ForeignKey("records.id"), primary_key=True),
        sa.Column("item_id", sa.String(64), primary_key=True),
        sa.Column("trust_id", Id, nullable=False),
        sa.Column("principle_id", Id, nullable=True),
        sa.Column("normalised", sa.Float, nullable=False),
    )
    op.create_index("ix_record_ratings_principle", "record_ratings", ['trust_id', 'principle_id'])
    op.create_table(
        "coaching_pairs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, nullable=False, index=True),
        sa.Column("principle_id", Id, nullable=False),
        sa.Column("coach_id", Id, nullable=False),
        sa.Column("coachee_id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=True),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("created_by", Id, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coaching_pairs")
    op.drop_table("record_ratings")
    op.drop_table("record_shares")
    op.drop_table("action_steps")
    op.drop_table("records")
    op.drop_table("template_versions")
    op.drop_table("templates")
    op.drop_table("framework_items")
    op.drop_table("framework_versions")
    op.drop_table("frameworks")

"""Identity core: trusts, schools, people, employments, role grants, line managers, keys, tokens.

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
        "trusts",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "schools",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(32), nullable=False),
        sa.Column("urn", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("trust_id", "name", name="uq_schools_trust_name"),
    )
    op.create_table(
        "people",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("trust_id", "email", name="uq_people_trust_email"),
    )
    op.create_index("ix_people_email", "people", ["email"])
    op.create_table(
        "employments",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False),
        sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("school_id", Id, sa.ForeignKey("schools.id"), nullable=False, index=True),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("staff_category", sa.String(16), nullable=False),
        sa.Column("fte", sa.Numeric(4, 3), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=True),
    )
    op.create_table(
        "role_grants",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False),
        sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("scope_type", sa.String(16), nullable=False),
        sa.Column("scope_id", Id, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
    )
    op.create_table(
        "line_managers",
        sa.Column("id", Id, primary_key=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False),
        sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("manager_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("school_id", Id, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=True),
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("private_pem", sa.Text, nullable=False),
        sa.Column("public_jwk", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", Id, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("family_id", Id, nullable=False, index=True),
        sa.Column("person_id", Id, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("trust_id", Id, sa.ForeignKey("trusts.id"), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", Id, nullable=True),
    )


def downgrade() -> None:
    for table in ("refresh_tokens", "signing_keys", "line_managers", "role_grants", "employments"):
        op.drop_table(table)
    op.drop_index("ix_people_email", table_name="people")
    for table in ("people", "schools", "trusts"):
        op.drop_table(table)

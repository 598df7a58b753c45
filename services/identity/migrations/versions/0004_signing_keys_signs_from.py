"""Signing keys are published before they sign: ``signs_from`` (None for the keys there are: at once).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signing_keys") as batch_op:
        batch_op.add_column(sa.Column("signs_from", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signing_keys") as batch_op:
        batch_op.drop_column("signs_from")

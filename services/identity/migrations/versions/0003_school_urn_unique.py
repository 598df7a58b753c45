"""A school's URN is unique in its trust (schools without one are not compared).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

A trust that already has two schools with one URN is not changed: the upgrade stops, naming them,
and nothing is applied. Which school a URN means is for the trust to say (PATCH /v1/schools/<id>
with the right URN, or none), not for a migration to guess; then run the migration again.
A blank URN was never one (the importer ignores it): it becomes none first.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE schools SET urn = NULL WHERE TRIM(urn) = ''"))
    duplicates = connection.execute(sa.text(
        "SELECT t.slug, s.urn, s.name FROM schools s JOIN trusts t ON t.id = s.trust_id "
        "WHERE EXISTS (SELECT 1 FROM schools o WHERE o.trust_id = s.trust_id AND o.urn = s.urn AND o.id <> s.id) "
        "ORDER BY t.slug, s.urn, s.name")).all()
    if duplicates:
        found: dict[tuple[str, str], list[str]] = {}
        for slug, urn, name in duplicates:
            found.setdefault((slug, urn), []).append(name)
        listed = "; ".join(f"trust {slug!r}, URN {urn!r}: {', '.join(names)}" for (slug, urn), names in found.items())
        raise RuntimeError(f"schools share a URN in their trust ({listed}). Give each its own URN, or none "
                           "(PATCH /v1/schools/<id>), then migrate again; nothing was changed.")
    op.create_index("uq_schools_trust_urn", "schools", ["trust_id", "urn"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_schools_trust_urn", table_name="schools")

"""Reporting: event log, principles, facts (records, ratings, activities, evaluations), rollup cells.

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

TABLES = ("cell_people", "cpd_activities", "cpd_evaluations", "cpd_school_cells", "cpd_type_cells", "event_log",
          "impact_cells", "obs_principle_cells", "obs_ratings", "obs_records", "obs_school_cells", "principles")


def upgrade() -> None:
    op.create_table('cell_people',
        sa.Column('rollup', sa.String(length=32), nullable=False),
        sa.Column('cell_key', sa.String(length=160), nullable=False),
        sa.Column('person_id', sa.String(length=36), nullable=False),
        sa.Column('facts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('rollup', 'cell_key', 'person_id')
    )
    op.create_table('cpd_activities',
        sa.Column('activity_id', sa.String(length=36), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('person_id', sa.String(length=36), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('activity_type', sa.String(length=32), nullable=False),
        sa.Column('delivery', sa.String(length=16), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('cost', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('cover_needed', sa.Boolean(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('activity_id')
    )
    op.create_index('ix_cpd_activities_trust_year', 'cpd_activities', ['trust_id', 'academic_year'], unique=False)
    op.create_table('cpd_evaluations',
        sa.Column('evaluation_id', sa.String(length=36), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('activity_id', sa.String(length=36), nullable=False),
        sa.Column('person_id', sa.String(length=36), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('stage', sa.String(length=16), nullable=False),
        sa.Column('reaction', sa.Integer(), nullable=True),
        sa.Column('learning', sa.Integer(), nullable=True),
        sa.Column('use_in_practice', sa.Integer(), nullable=True),
        sa.Column('pupil_outcomes', sa.Integer(), nullable=True),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('evaluation_id')
    )
    op.create_index('ix_cpd_evaluations_trust_year', 'cpd_evaluations', ['trust_id', 'academic_year'], unique=False)
    op.create_table('cpd_school_cells',
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('activities', sa.Integer(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('cost', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('cover', sa.Integer(), nullable=False),
        sa.Column('external', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('trust_id', 'academic_year', 'school_id')
    )
    op.create_table('cpd_type_cells',
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('activity_type', sa.String(length=36), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('activities', sa.Integer(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('cost', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint('trust_id', 'academic_year', 'school_id', 'activity_type')
    )
    op.create_table('event_log',
        sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('event_type', sa.String(length=100), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('envelope', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('seq'),
        sa.UniqueConstraint('event_id')
    )
    op.create_table('impact_cells',
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('stage', sa.String(length=36), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('evaluations', sa.Integer(), nullable=False),
        sa.Column('reaction_total', sa.Integer(), nullable=False),
        sa.Column('reaction_n', sa.Integer(), nullable=False),
        sa.Column('learning_total', sa.Integer(), nullable=False),
        sa.Column('learning_n', sa.Integer(), nullable=False),
        sa.Column('use_in_practice_total', sa.Integer(), nullable=False),
        sa.Column('use_in_practice_n', sa.Integer(), nullable=False),
        sa.Column('pupil_outcomes_total', sa.Integer(), nullable=False),
        sa.Column('pupil_outcomes_n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('trust_id', 'academic_year', 'school_id', 'stage')
    )
    op.create_table('obs_principle_cells',
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('principle_id', sa.String(length=36), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('ratings', sa.Integer(), nullable=False),
        sa.Column('score_total', sa.Float(), nullable=False),
        sa.Column('strong', sa.Integer(), nullable=False),
        sa.Column('developing', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('trust_id', 'academic_year', 'school_id', 'principle_id')
    )
    op.create_table('obs_ratings',
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('item_id', sa.String(length=64), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.String(length=36), nullable=False),
        sa.Column('principle_id', sa.String(length=36), nullable=False),
        sa.Column('normalised', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('record_id', 'item_id')
    )
    op.create_index('ix_obs_ratings_trust_year', 'obs_ratings', ['trust_id', 'academic_year'], unique=False)
    op.create_table('obs_records',
        sa.Column('record_id', sa.String(length=36), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('observee_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('observed_on', sa.Date(), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('privacy', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('open_action_steps', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('record_id')
    )
    op.create_index('ix_obs_records_trust_year', 'obs_records', ['trust_id', 'academic_year'], unique=False)
    op.create_table('obs_school_cells',
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.String(length=36), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('open_action_steps', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('trust_id', 'academic_year', 'school_id')
    )
    op.create_table('principles',
        sa.Column('principle_id', sa.String(length=36), nullable=False),
        sa.Column('trust_id', sa.String(length=36), nullable=False),
        sa.Column('framework_key', sa.String(length=64), nullable=False),
        sa.Column('framework_name', sa.String(length=200), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('principle_id')
    )
    op.create_index(op.f('ix_principles_trust_id'), 'principles', ['trust_id'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

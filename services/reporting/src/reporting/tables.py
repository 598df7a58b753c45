"""Reporting's tables: the event log, the facts kept from events, and the rollup cells the
dashboards read. Ids are UUID strings; every row names its trust.

Three layers, each rebuildable from the one before it:
- ``event_log``: every event reporting received, append-only (``canopy reporting replay``);
- facts: one row per record, rating, activity, evaluation and CPD request, in their latest state;
- cells: additive totals per trust, academic year, school (or ``all`` for the whole trust) and one
  dimension, with the number of distinct people behind them (``cell_people``), kept up to date
  event by event (``canopy reporting rebuild`` recomputes them from the facts).
"""
from sqlalchemy import (
    BigInteger, Boolean, Column, Date, DateTime, Float, Index, Integer, MetaData, Numeric, String, Table, Text,
)

metadata = MetaData()

Id = String(36)
Money = Numeric(14, 2)

event_log = Table(
    "event_log", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", Id, nullable=False, unique=True),
    Column("event_type", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("trust_id", Id, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("envelope", Text, nullable=False),
)

principles = Table(
    "principles", metadata,
    Column("principle_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("framework_key", String(64), nullable=False),
    Column("framework_name", String(200), nullable=False),
    Column("code", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# --- facts ---------------------------------------------------------------------------------------

obs_records = Table(
    "obs_records", metadata,
    Column("record_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),
    Column("observee_id", Id, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("observed_on", Date, nullable=False),
    Column("academic_year", Integer, nullable=False),
    Column("privacy", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("open_action_steps", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)
Index("ix_obs_records_trust_year", obs_records.c.trust_id, obs_records.c.academic_year)

obs_ratings = Table(
    "obs_ratings", metadata,
    Column("record_id", Id, primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),
    Column("academic_year", Integer, nullable=False),
    Column("person_id", Id, nullable=False),
    Column("principle_id", Id, nullable=False),
    Column("normalised", Float, nullable=False),
)
Index("ix_obs_ratings_trust_year", obs_ratings.c.trust_id, obs_ratings.c.academic_year)

cpd_activities = Table(
    "cpd_activities", metadata,
    Column("activity_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),  # NO_SCHOOL when recorded outside any school
    Column("activity_type", String(32), nullable=False),
    Column("delivery", String(16), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("academic_year", Integer, nullable=False),
    Column("hours", Money, nullable=False),
    Column("cost", Money, nullable=False),
    Column("cover_needed", Boolean, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)
Index("ix_cpd_activities_trust_year", cpd_activities.c.trust_id, cpd_activities.c.academic_year)

cpd_evaluations = Table(
    "cpd_evaluations", metadata,
    Column("evaluation_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("activity_id", Id, nullable=False),
    Column("person_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("reaction", Integer, nullable=True),
    Column("learning", Integer, nullable=True),
    Column("use_in_practice", Integer, nullable=True),
    Column("pupil_outcomes", Integer, nullable=True),
    Column("submitted_on", Date, nullable=False),
    Column("academic_year", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)
Index("ix_cpd_evaluations_trust_year", cpd_evaluations.c.trust_id, cpd_evaluations.c.academic_year)

# A request's two events each say part of it (``reporting.domain.requests``) and may arrive in
# either order: the submission's columns are written from the newest submission (``submitted_at``),
# the decision's from the newest decision (``decided_at``). What only the submission says is null
# until it arrives.
cpd_requests = Table(
    "cpd_requests", metadata,
    Column("request_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),  # the school that decides it: a request always has one
    Column("status", String(16), nullable=False),  # pending | approved | declined
    Column("starts_on", Date, nullable=True),
    Column("academic_year", Integer, nullable=True),
    Column("cost_asked", Money, nullable=True),
    Column("cover_needed", Boolean, nullable=True),
    Column("cost_decided", Money, nullable=True),  # the cost the decision was on
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_cpd_requests_trust_year", cpd_requests.c.trust_id, cpd_requests.c.academic_year)

# --- rollup cells --------------------------------------------------------------------------------


def _cell_table(name: str, dimension: str | None, *measures: Column) -> Table:
    keys = [Column("trust_id", Id, primary_key=True), Column("academic_year", Integer, primary_key=True),
            Column("school_id", Id, primary_key=True)]
    if dimension:
        keys.append(Column(dimension, String(36), primary_key=True))
    return Table(name, metadata, *keys, Column("people", Integer, nullable=False), *measures)


obs_school_cells = _cell_table(
    "obs_school_cells", None,
    Column("records", Integer, nullable=False), Column("open_action_steps", Integer, nullable=False))
obs_principle_cells = _cell_table(
    "obs_principle_cells", "principle_id",
    Column("ratings", Integer, nullable=False), Column("score_total", Float, nullable=False),
    Column("strong", Integer, nullable=False), Column("developing", Integer, nullable=False))
cpd_school_cells = _cell_table(
    "cpd_school_cells", None,
    Column("activities", Integer, nullable=False), Column("hours", Money, nullable=False),
    Column("cost", Money, nullable=False), Column("cover", Integer, nullable=False),
    Column("external", Integer, nullable=False))
cpd_type_cells = _cell_table(
    "cpd_type_cells", "activity_type",
    Column("activities", Integer, nullable=False), Column("hours", Money, nullable=False),
    Column("cost", Money, nullable=False))
impact_cells = _cell_table(
    "impact_cells", "stage",
    Column("evaluations", Integer, nullable=False),
    *[Column(f"{dim}_{part}", Integer, nullable=False)
      for dim in ("reaction", "learning", "use_in_practice", "pupil_outcomes") for part in ("total", "n")])
cpd_request_cells = _cell_table(
    "cpd_request_cells", "status",
    Column("requests", Integer, nullable=False), Column("cost_asked", Money, nullable=False),
    Column("cost_approved", Money, nullable=False))

# How many facts of each person a cell counts: a cell's ``people`` is how many rows it has here.
cell_people = Table(
    "cell_people", metadata,
    Column("rollup", String(32), primary_key=True),
    Column("cell_key", String(160), primary_key=True),
    Column("person_id", Id, primary_key=True),
    Column("facts", Integer, nullable=False),
)

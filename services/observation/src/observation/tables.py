"""Observation's tables. Ids are UUID strings; every row names its trust.

Published framework and template versions are never updated (only their status may move to
``retired``); a record keeps the template version it was made on, so its rendering never changes.
Form definitions and responses are JSON text: their shape is checked by ``observation.domain.forms``.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()


def to_json(value: Any) -> str:
    """A JSON text column's value: keys sorted, so that equal values are equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


Id = String(36)

frameworks = Table(
    "frameworks", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("key", String(64), nullable=False),  # e.g. teachers-standards-2012, or a trust's own
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # national | trust
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("trust_id", "key", name="uq_frameworks_trust_key"),
)

framework_versions = Table(
    "framework_versions", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("framework_id", Id, ForeignKey("frameworks.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # draft | published | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("framework_id", "version", name="uq_framework_versions"),
)

# item_id is stable across a framework's versions (same code, same item): it is the "principle id"
# that form items, ratings and reports link to, so reports compare across versions.
framework_items = Table(
    "framework_items", metadata,
    Column("framework_version_id", Id, ForeignKey("framework_versions.id"), primary_key=True),
    Column("item_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("framework_id", Id, nullable=False, index=True),
    Column("code", String(16), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=True),
    Column("position", Integer, nullable=False),
)

templates = Table(
    "templates", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("owner_school_id", Id, nullable=True),  # None: the trust's own template
    Column("shared_with", Text, nullable=True),  # JSON list of school ids; None: every school
    Column("status", String(16), nullable=False),  # active | retired
    Column("created_by", Id, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

template_versions = Table(
    "template_versions", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("template_id", Id, ForeignKey("templates.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # draft | published
    Column("definition", Text, nullable=False),  # JSON: {"sections": [...]}
    Column("row_version", Integer, nullable=False),  # the draft's ETag
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("template_id", "version", name="uq_template_versions"),
)

records = Table(
    "records", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("school_id", Id, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("observer_id", Id, nullable=False, index=True),
    Column("observee_id", Id, nullable=False, index=True),
    Column("observed_on", Date, nullable=False),
    Column("class_name", String(100), nullable=True),
    Column("subject", String(100), nullable=True),
    Column("year_group", String(32), nullable=True),
    Column("template_version_id", Id, ForeignKey("template_versions.id"), nullable=False),
    Column("responses", Text, nullable=False),  # JSON: item id -> value
    Column("strengths", Text, nullable=True),
    Column("privacy", String(16), nullable=False),  # developmental | reportable
    Column("status", String(16), nullable=False),  # draft | shared | acknowledged
    Column("observee_response", Text, nullable=True),
    Column("follows_up_record_id", Id, nullable=True),
    Column("row_version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("shared_at", DateTime(timezone=True), nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
)
Index("ix_records_trust_school_date", records.c.trust_id, records.c.school_id, records.c.observed_on)

action_steps = Table(
    "action_steps", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("due_on", Date, nullable=True),
    Column("status", String(16), nullable=False),  # open | completed
    Column("completed_at", DateTime(timezone=True), nullable=True),
    Column("completed_in_record_id", Id, nullable=True),
)

# Whom the observee chose to share a record with (e.g. a developmental drop-in with a coach).
record_shares = Table(
    "record_shares", metadata,
    Column("record_id", Id, ForeignKey("records.id"), primary_key=True),
    Column("person_id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("shared_at", DateTime(timezone=True), nullable=False),
)

# One row per rated item of a record, its value normalised to 0..1 on the item's scale: what the
# coaching view aggregates, per principle, without re-reading every form version.
record_ratings = Table(
    "record_ratings", metadata,
    Column("record_id", Id, ForeignKey("records.id"), primary_key=True),
    Column("item_id", String(64), primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("principle_id", Id, nullable=True),
    Column("normalised", Float, nullable=False),
)
Index("ix_record_ratings_principle", record_ratings.c.trust_id, record_ratings.c.principle_id)

coaching_pairs = Table(
    "coaching_pairs", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("principle_id", Id, nullable=False),
    Column("coach_id", Id, nullable=False),
    Column("coachee_id", Id, nullable=False),
    Column("school_id", Id, nullable=True),
    Column("starts_on", Date, nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

"""Portfolio's tables. Every row names its trust and the person it belongs to; ``school_id`` is the
school a record happened under, which decides what a school may see after the person moves on."""
from sqlalchemy import (
    Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Table, Text,
    UniqueConstraint,
)

metadata = MetaData()
Id = String(36)
Money = Numeric(10, 2)
Hours = Numeric(7, 2)

activities = Table(
    "activities", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False),
    Column("school_id", Id, nullable=True),
    Column("title", String(200), nullable=False),
    Column("activity_type", String(32), nullable=False),
    Column("delivery", String(16), nullable=False),
    Column("provider", String(200), nullable=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("hours", Hours, nullable=False),
    Column("cost", Money, nullable=False),
    Column("cover_needed", Boolean, nullable=False),
    Column("linked_standards", Text, nullable=False),  # JSON list of standard codes
    Column("linked_objectives", Text, nullable=False),  # JSON list of objective references
    Column("reflection", Text, nullable=True),
    Column("source", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_activities_person", activities.c.trust_id, activities.c.person_id, activities.c.starts_on)

evidence = Table(
    "evidence", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("activity_id", Id, ForeignKey("activities.id"), nullable=True, index=True),
    Column("title", String(200), nullable=False),
    Column("kind", String(8), nullable=False),  # file | link
    Column("url", String(2000), nullable=True),
    Column("storage_key", String(200), nullable=True),
    Column("filename", String(255), nullable=True),
    Column("content_type", String(100), nullable=True),
    Column("size", Integer, nullable=True),
    Column("linked_standards", Text, nullable=False),
    Column("added_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

cpd_requests = Table(
    "cpd_requests", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("school_id", Id, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("activity_type", String(32), nullable=False),
    Column("provider", String(200), nullable=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("hours", Hours, nullable=False),
    Column("cost", Money, nullable=False),
    Column("cover_needed", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | declined | withdrawn
    Column("decided_by", Id, nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decision_comment", Text, nullable=True),
    Column("activity_id", Id, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

courses = Table(
    "courses", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("activity_type", String(32), nullable=False),
    Column("provider", String(200), nullable=True),
    Column("hours", Hours, nullable=False),
    Column("linked_standards", Text, nullable=False),
    Column("created_by", Id, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

course_sessions = Table(
    "course_sessions", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("course_id", Id, ForeignKey("courses.id"), nullable=False, index=True),
    Column("held_on", Date, nullable=False),
    Column("location", String(200), nullable=False),
    Column("places", Integer, nullable=False),
)

bookings = Table(
    "bookings", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("session_id", Id, ForeignKey("course_sessions.id"), nullable=False),
    Column("person_id", Id, nullable=False, index=True),
    Column("status", String(16), nullable=False),  # booked | cancelled | attended | absent
    Column("activity_id", Id, nullable=True),
    Column("booked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "person_id", name="uq_bookings_session_person"),
)

evaluations = Table(
    "evaluations", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=False),
    Column("activity_id", Id, ForeignKey("activities.id"), nullable=False, index=True),
    Column("person_id", Id, nullable=False, index=True),
    Column("stage", String(16), nullable=False),  # immediate | follow_up
    Column("due_on", Date, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("reaction", Integer, nullable=True),
    Column("learning", Integer, nullable=True),
    Column("use_in_practice", Integer, nullable=True),
    Column("pupil_outcomes", Integer, nullable=True),
    Column("comments", Text, nullable=True),
    UniqueConstraint("activity_id", "stage", name="uq_evaluations_activity_stage"),
)

"""Identity's tables. Ids are UUID strings; every row but the trust's own names its trust."""
from __future__ import annotations

from sqlalchemy import (
    Column, Date, DateTime, ForeignKey, Index, MetaData, Numeric, String, Table, Text, UniqueConstraint,
)

metadata = MetaData()

Id = String(36)

trusts = Table(
    "trusts", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("slug", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

schools = Table(
    "schools", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("phase", String(32), nullable=False),
    Column("urn", String(32), nullable=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("trust_id", "name", name="uq_schools_trust_name"),
)
# The importer finds a school by URN: two in one trust would make a row ambiguous. Schools without
# a URN are not compared (NULLs are distinct). An index, so SQLite adds it without copying the table.
Index("uq_schools_trust_urn", schools.c.trust_id, schools.c.urn, unique=True)

people = Table(
    "people", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False),
    Column("given_name", String(100), nullable=False),
    Column("family_name", String(100), nullable=False),
    Column("preferred_name", String(100), nullable=True),
    Column("email", String(254), nullable=False),  # stored lower case
    Column("status", String(16), nullable=False),
    Column("password_hash", Text, nullable=True),
    Column("password_changed_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("trust_id", "email", name="uq_people_trust_email"),
)
Index("ix_people_email", people.c.email)

employments = Table(
    "employments", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("school_id", Id, ForeignKey("schools.id"), nullable=False, index=True),
    Column("job_title", String(200), nullable=False),
    Column("staff_category", String(16), nullable=False),
    Column("fte", Numeric(4, 3), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
)

role_grants = Table(
    "role_grants", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("scope_type", String(16), nullable=False),
    Column("scope_id", Id, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
)

line_managers = Table(
    "line_managers", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("manager_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("school_id", Id, ForeignKey("schools.id"), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
)

signing_keys = Table(
    "signing_keys", metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("public_jwk", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Published from its creation, signs from here (None: at once): rotation announces the next key.
    Column("signs_from", DateTime(timezone=True), nullable=True),
    Column("retired_at", DateTime(timezone=True), nullable=True),  # stops signing; still verifies a while
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("family_id", Id, nullable=False, index=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("replaced_by", Id, nullable=True),
)

school_groups = Table(
    "school_groups", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, ForeignKey("trusts.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    UniqueConstraint("trust_id", "name", name="uq_school_groups_trust_name"),
)

group_schools = Table(
    "group_schools", metadata,
    Column("group_id", Id, ForeignKey("school_groups.id"), primary_key=True),
    Column("school_id", Id, ForeignKey("schools.id"), primary_key=True),
)

# One-time tokens sent by email: invitations (set a first password) and password resets.
account_tokens = Table(
    "account_tokens", metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),  # invitation | reset
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)

# Failed sign-ins, by account (the email as typed) and by client address, for rate limiting.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(300), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_failures_key_at", login_failures.c.key, login_failures.c.at)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True),
    Column("trust_id", Id, nullable=True, index=True),  # null: a failed login naming no account
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Id, nullable=True),
    Column("action", String(64), nullable=False),
    Column("subject_id", Id, nullable=True, index=True),
    Column("client", String(64), nullable=True),
    Column("details", Text, nullable=False),
)

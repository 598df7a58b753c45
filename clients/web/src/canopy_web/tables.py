"""The web client's one table: its sessions. The browser holds only a random key; the row holds
the person's tokens, sealed, and what the pages need between requests."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

web_sessions = Table(
    "web_sessions", metadata,
    # SHA-256 of the cookie's key: a copy of this table opens no browser's session.
    Column("key_hash", String(64), primary_key=True),
    Column("csrf_token", String(64), nullable=False),
    Column("person_id", String(36)),
    # The access and refresh tokens, sealed with the client's secret (Fernet).
    Column("sealed_tokens", Text),
    Column("access_expires_at", DateTime(timezone=True)),
    # Refresh is single-flight: one request claims it until then; the others wait for ``generation``.
    Column("refresh_claimed_until", DateTime(timezone=True)),
    Column("generation", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # A one-line message for the next page ("Saved"), shown once.
    Column("notice", String(500)),
    Index("ix_web_sessions_expires_at", "expires_at"),
)

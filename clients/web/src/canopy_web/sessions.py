"""Server-side sessions: the browser holds a random key in an HttpOnly cookie; everything else,
the person's tokens first, stays here.

Why not a session library: refresh must be single-flight across every worker (identity revokes
the whole refresh family when one refresh token is used twice), which needs a conditional update
on the session's row, and the tokens are sealed at rest. Both are a few lines over SQLAlchemy.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Engine, delete, insert, select, update

from canopy_kit.clock import as_utc, now
from canopy_web.tables import web_sessions

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
CLEAN_EVERY = 200  # one new session in this many also deletes the expired ones


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    access_expires_at: datetime


@dataclass(frozen=True)
class WebSession:
    key_hash: str
    csrf_token: str
    person_id: str | None
    tokens: Tokens | None
    generation: int
    notice: str | None

    @property
    def signed_in(self) -> bool:
        return self.person_id is not None and self.tokens is not None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _sealer(secret: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"canopy-web session tokens").derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


class SessionStore:
    def __init__(self, engine: Engine, secret: bytes, *, idle: timedelta, lifetime: timedelta):
        self.engine = engine
        self.sealer = _sealer(secret)
        self.idle = idle
        self.lifetime = lifetime

    # -- reading -------------------------------------------------------------------------------
    def open(self, key: str | None) -> WebSession | None:
        """The live session this cookie key names, or None (unknown, idle too long or expired)."""
        if not key or len(key) > 128:
            return None
        moment = now()
        with self.engine.begin() as conn:
            row = conn.execute(select(web_sessions).where(web_sessions.c.key_hash == _hash(key))).mappings().first()
            if row is None:
                return None
            if as_utc(row["expires_at"]) <= moment or as_utc(row["last_seen_at"]) + self.idle <= moment:
                conn.execute(delete(web_sessions).where(web_sessions.c.key_hash == row["key_hash"]))
                return None
            if as_utc(row["last_seen_at"]) + TOUCH_EVERY <= moment:
                conn.execute(update(web_sessions).where(web_sessions.c.key_hash == row["key_hash"])
                             .values(last_seen_at=moment))
        return self._session(row)

    def reload(self, session: WebSession) -> WebSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(web_sessions).where(web_sessions.c.key_hash == session.key_hash)).mappings().first()
        return None if row is None else self._session(row)

    def _session(self, row) -> WebSession:
        tokens = None
        if row["sealed_tokens"]:
            try:
                pair = json.loads(self.sealer.decrypt(row["sealed_tokens"].encode()))
                tokens = Tokens(pair["access"], pair["refresh"], as_utc(row["access_expires_at"]))
            except (InvalidToken, ValueError, KeyError):
                tokens = None  # sealed under another secret: the person signs in again
        return WebSession(row["key_hash"], row["csrf_token"], row["person_id"] if tokens else None, tokens,
                          row["generation"], row["notice"])

    # -- writing -------------------------------------------------------------------------------
    def start(self) -> tuple[str, WebSession]:
        """A new anonymous session (it carries the CSRF token of the sign-in form)."""
        key = secrets.token_urlsafe(32)
        moment = now()
        values = {"key_hash": _hash(key), "csrf_token": secrets.token_urlsafe(32), "person_id": None,
                  "sealed_tokens": None, "access_expires_at": None, "refresh_claimed_until": None,
                  "generation": 0, "created_at": moment, "last_seen_at": moment,
                  "expires_at": moment + self.lifetime, "notice": None}
        with self.engine.begin() as conn:
            conn.execute(insert(web_sessions).values(**values))
            if secrets.randbelow(CLEAN_EVERY) == 0:
                conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= moment))
        return key, self._session(values)

    def sign_in(self, session: WebSession | None, person_id: str, tokens: Tokens) -> tuple[str, WebSession]:
        """A fresh session for the person (a new key and CSRF token: no fixation); the old one ends."""
        if session is not None:
            self.end(session)
        key, fresh = self.start()
        with self.engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.key_hash == fresh.key_hash).values(
                person_id=person_id, sealed_tokens=self._seal(tokens), access_expires_at=tokens.access_expires_at))
        return key, WebSession(fresh.key_hash, fresh.csrf_token, person_id, tokens, 0, None)

    def end(self, session: WebSession) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.key_hash == session.key_hash))

    def claim_refresh(self, session: WebSession, hold: timedelta) -> bool:
        """True for exactly one caller per generation while a claim holds: that one refreshes."""
        moment = now()
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(web_sessions)
                .where(web_sessions.c.key_hash == session.key_hash,
                       web_sessions.c.generation == session.generation,
                       (web_sessions.c.refresh_claimed_until.is_(None))
                       | (web_sessions.c.refresh_claimed_until <= moment))
                .values(refresh_claimed_until=moment + hold))
        return claimed.rowcount == 1

    def release_refresh(self, session: WebSession) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.key_hash == session.key_hash,
                                                    web_sessions.c.generation == session.generation)
                         .values(refresh_claimed_until=None))

    def refreshed(self, session: WebSession, tokens: Tokens) -> WebSession:
        with self.engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.key_hash == session.key_hash).values(
                sealed_tokens=self._seal(tokens), access_expires_at=tokens.access_expires_at,
                refresh_claimed_until=None, generation=session.generation + 1))
        return WebSession(session.key_hash, session.csrf_token, session.person_id, tokens,
                          session.generation + 1, session.notice)

    def set_notice(self, session: WebSession, notice: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.key_hash == session.key_hash)
                         .values(notice=None if notice is None else notice[:500]))

    def _seal(self, tokens: Tokens) -> str:
        return self.sealer.encrypt(json.dumps({"access": tokens.access, "refresh": tokens.refresh}).encode()).decode()

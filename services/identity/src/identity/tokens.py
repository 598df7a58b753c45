"""Access tokens (short-lived JWTs) and refresh tokens (opaque, stored hashed, rotated on use).

A refresh token is used once: using it revokes it and issues its successor in the same family.
Presenting a revoked one again means it was stolen or replayed, so the whole family is revoked.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import jwt
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from canopy_kit.auth import Grant
from canopy_kit.clock import as_utc, now as _now
from canopy_kit.identifiers import new_id
from identity import keys
from identity.tables import group_schools, people, refresh_tokens, role_grants

ACCESS_TOKEN_TTL = timedelta(minutes=15)  # the longest an access token lives (IDENTITY_ACCESS_TOKEN_SECONDS)
REFRESH_TOKEN_TTL = timedelta(days=30)
# How long a retired signing key is still published: as long as a token it signed can live, twice over.
VERIFY_WINDOW = ACCESS_TOKEN_TTL * 2


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


class RefreshRejected(Exception):
    pass


def token_hash(token: str) -> str:
    """How a token is stored (refresh tokens, mailed one-time links): never as itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def current_grants(session: Session, person_id: str, on: date | None = None) -> tuple[Grant, ...]:
    today = on or date.today()
    rows = session.execute(
        select(role_grants.c.role, role_grants.c.scope_type, role_grants.c.scope_id)
        .where(role_grants.c.person_id == person_id, role_grants.c.valid_from <= today,
               or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to >= today))
        .order_by(role_grants.c.role, role_grants.c.scope_id)
    ).all()
    groups = {r.scope_id for r in rows if r.scope_type == "group"}
    members: dict[str, list[str]] = {}
    if groups:  # a group grant carries its schools, so services need no group lookup
        for group_id, school_id in session.execute(
                select(group_schools.c.group_id, group_schools.c.school_id)
                .where(group_schools.c.group_id.in_(groups)).order_by(group_schools.c.school_id)):
            members.setdefault(group_id, []).append(school_id)
    return tuple(Grant(role=r.role, scope_type=r.scope_type, scope_id=r.scope_id,
                       schools=tuple(members.get(r.scope_id, ())) if r.scope_type == "group" else ())
                 for r in rows)


def issue_access_token(session: Session, *, person_id: str, trust_id: str, issuer: str, audience: str,
                       passphrase: str | None = None, lifetime: timedelta = ACCESS_TOKEN_TTL) -> str:
    kid, private = keys.signing_key(session, passphrase)
    now = _now()
    claims = {
        "iss": issuer, "aud": audience, "sub": person_id, "trust_id": trust_id, "typ": "access",
        "grants": [grant.to_claim() for grant in current_grants(session, person_id)],
        "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp()), "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": kid})


def issue_pair(session: Session, *, person_id: str, trust_id: str, issuer: str, audience: str,
               family_id: str | None = None, passphrase: str | None = None,
               lifetime: timedelta = ACCESS_TOKEN_TTL) -> tuple[TokenPair, str]:
    refresh = secrets.token_urlsafe(32)
    row_id = new_id()
    now = _now()
    session.execute(refresh_tokens.insert().values(
        id=row_id, token_hash=token_hash(refresh), family_id=family_id or new_id(), person_id=person_id,
        trust_id=trust_id, issued_at=now, expires_at=now + REFRESH_TOKEN_TTL,
    ))
    access = issue_access_token(session, person_id=person_id, trust_id=trust_id, issuer=issuer,
                                audience=audience, passphrase=passphrase, lifetime=lifetime)
    return TokenPair(access, refresh, int(lifetime.total_seconds())), row_id


def rotate_refresh(session: Session, token: str, *, issuer: str, audience: str,
                   passphrase: str | None = None, lifetime: timedelta = ACCESS_TOKEN_TTL) -> TokenPair:
    row = session.execute(
        select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash(token)).with_for_update()
    ).first()
    if row is None:
        raise RefreshRejected("unknown refresh token")
    if row.revoked_at is not None:
        revoke_family(session, row.family_id)
        raise RefreshRejected("refresh token already used or revoked")
    if as_utc(row.expires_at) <= _now():
        raise RefreshRejected("refresh token expired")
    status = session.execute(select(people.c.status).where(people.c.id == row.person_id)).scalar_one()
    if status != "active":
        revoke_family(session, row.family_id)
        raise RefreshRejected("account is not active")
    pair, successor_id = issue_pair(session, person_id=row.person_id, trust_id=row.trust_id, issuer=issuer,
                                    audience=audience, family_id=row.family_id, passphrase=passphrase,
                                    lifetime=lifetime)
    session.execute(update(refresh_tokens).where(refresh_tokens.c.id == row.id)
                    .values(revoked_at=_now(), replaced_by=successor_id))
    return pair


def revoke_family(session: Session, family_id: str) -> None:
    session.execute(update(refresh_tokens)
                    .where(and_(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None)))
                    .values(revoked_at=_now()))


def revoke_all(session: Session, person_id: str) -> None:
    """Every session of the person ends: on a password change, and when the account is disabled."""
    session.execute(update(refresh_tokens)
                    .where(refresh_tokens.c.person_id == person_id, refresh_tokens.c.revoked_at.is_(None))
                    .values(revoked_at=_now()))


def revoke(session: Session, token: str) -> bool:
    """Logout: revoke the token's whole family (this device's session). False if unknown."""
    family = session.execute(select(refresh_tokens.c.family_id)
                             .where(refresh_tokens.c.token_hash == token_hash(token))).scalar_one_or_none()
    if family is None:
        return False
    revoke_family(session, family)
    return True

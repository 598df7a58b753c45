"""Signing keys: Ed25519, kept in identity's database, published as a JWKS.

``rotate`` makes the next key and publishes it at once, but signs with it only after an activation
delay, when the current key retires: every service verifying tokens has had the chance to fetch it
before it sees a token it signed, so no request is refused for an unknown key. A retired key stays
in the JWKS for as long as tokens it signed can live, so rotation never logs anyone out. The key
that signs is the newest one whose time has come and that has not retired.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from canopy_kit.clock import now
from identity.tables import signing_keys


def _encryption(passphrase: str | None):
    if passphrase:
        return serialization.BestAvailableEncryption(passphrase.encode())
    return serialization.NoEncryption()


def create_key(session: Session, passphrase: str | None = None, *, signs_from: datetime | None = None) -> str:
    private = Ed25519PrivateKey.generate()
    kid = uuid.uuid4().hex
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "EdDSA"})
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                _encryption(passphrase)).decode()
    session.execute(signing_keys.insert().values(kid=kid, private_pem=pem, public_jwk=json.dumps(jwk),
                                                 created_at=now(), signs_from=signs_from))
    return kid


def signing_key(session: Session, passphrase: str | None = None) -> tuple[str, Ed25519PrivateKey]:
    """The key to sign with now; made on first use."""
    moment = now()
    row = session.execute(
        select(signing_keys)
        .where(or_(signing_keys.c.retired_at.is_(None), signing_keys.c.retired_at > moment),
               or_(signing_keys.c.signs_from.is_(None), signing_keys.c.signs_from <= moment))
        .order_by(signing_keys.c.created_at.desc())
    ).first()
    if row is None:
        create_key(session, passphrase)
        session.flush()
        return signing_key(session, passphrase)
    private = serialization.load_pem_private_key(row.private_pem.encode(),
                                                 passphrase.encode() if passphrase else None)
    return row.kid, private


def rotate(session: Session, passphrase: str | None = None, *, activation: timedelta = timedelta(0)) -> str:
    """The next key, published now and signing after ``activation``, when the current keys retire."""
    switch = now() + activation
    session.execute(update(signing_keys)
                    .where(or_(signing_keys.c.retired_at.is_(None), signing_keys.c.retired_at > switch))
                    .values(retired_at=switch))
    return create_key(session, passphrase, signs_from=switch)


def published_jwks(session: Session, verify_window: timedelta) -> dict:
    """Every key that may still have live tokens: unretired, or retired within ``verify_window``."""
    cutoff = now() - verify_window
    rows = session.execute(
        select(signing_keys.c.public_jwk)
        .where(or_(signing_keys.c.retired_at.is_(None), signing_keys.c.retired_at > cutoff))
        .order_by(signing_keys.c.created_at.desc())
    ).scalars()
    return {"keys": [json.loads(jwk) for jwk in rows]}


def public_keys(session: Session, verify_window: timedelta) -> dict:
    """kid -> public key object, for identity verifying its own tokens."""
    return {jwk["kid"]: jwt.PyJWK.from_dict(jwk).key for jwk in published_jwks(session, verify_window)["keys"]}

"""Signing keys: Ed25519, kept in identity's database, published as a JWKS.

The newest unretired key signs. ``rotate`` retires it and makes a new one; a retired key stays in
the JWKS for as long as tokens it signed can live, so rotation never logs anyone out.
"""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

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


def create_key(session: Session, passphrase: str | None = None) -> str:
    private = Ed25519PrivateKey.generate()
    kid = uuid.uuid4().hex
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "EdDSA"})
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                _encryption(passphrase)).decode()
    session.execute(signing_keys.insert().values(kid=kid, private_pem=pem, public_jwk=json.dumps(jwk),
                                                 created_at=now()))
    return kid


def signing_key(session: Session, passphrase: str | None = None) -> tuple[str, Ed25519PrivateKey]:
    """The key to sign with now; made on first use."""
    row = session.execute(
        select(signing_keys).where(signing_keys.c.retired_at.is_(None)).order_by(signing_keys.c.created_at.desc())
    ).first()
    if row is None:
        create_key(session, passphrase)
        session.flush()
        return signing_key(session, passphrase)
    private = serialization.load_pem_private_key(row.private_pem.encode(),
                                                 passphrase.encode() if passphrase else None)
    return row.kid, private


def rotate(session: Session, passphrase: str | None = None) -> str:
    session.execute(update(signing_keys).where(signing_keys.c.retired_at.is_(None)).values(retired_at=now()))
    return create_key(session, passphrase)


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

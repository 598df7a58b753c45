"""Passwords: argon2id with argon2-cffi's recommended parameters, rehashed when they change. What a
password must be is the domain's (``identity.domain.password_policy``)."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hasher().hash("a password nobody has")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches. With no hash (unknown user, no password yet) it still does
    the work of one verification, so timing does not tell whether the account exists."""
    try:
        return hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


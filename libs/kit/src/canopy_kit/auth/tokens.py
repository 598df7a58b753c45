"""Verifying access tokens (EdDSA JWTs with a ``kid``) against identity's published keys.

Keys come from the JWKS URL and are cached; a token signed by a key we have not seen makes us
fetch the set again (that is how rotation reaches us), at most once per ``refresh_interval`` so
that a flood of forged ``kid``s cannot hammer identity.

A client sends the same token with every request until it expires, and checking an EdDSA
signature is a tenth of a simple authenticated read: the verifier remembers the tokens it has
accepted, until they expire or the key that signed them changes.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import jwt

from canopy_kit.auth.principal import Grant, Principal

ALGORITHMS = ["EdDSA"]
LEEWAY_SECONDS = 30
REMEMBERED_TOKENS = 1024  # per process; enough for every client of a worker, small in memory


class TokenError(Exception):
    """The token is missing, malformed, expired, or signed by a key we do not know."""


class KeysUnavailable(TokenError):
    """Identity's keys could not be fetched and none are known yet: not the token's fault, so the
    caller is asked to try again (503) rather than told to sign in again (401)."""


class KeySource(Protocol):
    def key_for(self, kid: str) -> Any: ...


class StaticKeySource:
    """Keys known in process: identity verifying its own tokens, and tests."""

    def __init__(self, keys: dict[str, Any] | None = None, loader=None):
        self._keys = dict(keys or {})
        self._loader = loader

    def key_for(self, kid: str) -> Any:
        if kid not in self._keys and self._loader is not None:
            self._keys = dict(self._loader())
        try:
            return self._keys[kid]
        except KeyError:
            raise TokenError("token signed by an unknown key") from None


class JwksKeySource:
    def __init__(self, url: str, *, cache_seconds: int = 300, refresh_interval: float = 10.0, timeout: float = 3.0):
        self.url = url
        self.cache_seconds = cache_seconds
        self.refresh_interval = refresh_interval
        self.timeout = timeout
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        with urllib.request.urlopen(self.url, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
            document = json.load(response)
        keys = {}
        for jwk in document.get("keys", []):
            try:
                keys[jwk["kid"]] = jwt.PyJWK.from_dict(jwk).key
            except (KeyError, jwt.PyJWKError):
                continue  # a key we cannot use must not hide the others
        self._keys, self._fetched_at = keys, time.monotonic()

    def key_for(self, kid: str) -> Any:
        age = time.monotonic() - self._fetched_at
        if kid not in self._keys or age > self.cache_seconds:
            with self._lock:
                age = time.monotonic() - self._fetched_at
                if age > self.cache_seconds or (kid not in self._keys and age > self.refresh_interval):
                    try:
                        self._fetch()
                    except OSError as exc:
                        if not self._keys:
                            raise KeysUnavailable(f"signing keys unavailable: {exc}") from exc
        try:
            return self._keys[kid]
        except KeyError:
            raise TokenError("token signed by an unknown key") from None


@dataclass(frozen=True)
class _Accepted:
    principal: Principal
    kid: str
    key: Any
    expires: float  # the token's ``exp``


class TokenVerifier:
    def __init__(self, keys: KeySource, *, issuer: str, audience: str, clock: Callable[[], float] = time.time):
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.clock = clock
        self._accepted: dict[str, _Accepted] = {}
        self._lock = threading.Lock()

    def verify(self, token: str) -> Principal:
        accepted = self._accepted.get(token)
        # The same answer as checking again: a token's signature and claims do not change, only
        # the time (``exp``, with the same leeway) and the key set (a key rotated out or replaced).
        if accepted is not None:
            if accepted.expires <= self.clock() - LEEWAY_SECONDS:
                with self._lock:
                    self._accepted.pop(token, None)
                raise TokenError("token expired")
            if self.keys.key_for(accepted.kid) is accepted.key:
                return accepted.principal
        accepted = self._check(token)
        with self._lock:
            if len(self._accepted) >= REMEMBERED_TOKENS:
                del self._accepted[next(iter(self._accepted))]  # the oldest
            self._accepted[token] = accepted
        return accepted.principal

    def _check(self, token: str) -> _Accepted:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenError("malformed token") from exc
        kid = header.get("kid")
        if not kid or header.get("alg") not in ALGORITHMS:
            raise TokenError("token has no key id or an unexpected algorithm")
        key = self.keys.key_for(kid)
        try:
            claims = jwt.decode(
                token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=self.issuer,
                leeway=LEEWAY_SECONDS, options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("token expired") from exc
        except jwt.PyJWTError as exc:
            raise TokenError(f"invalid token: {exc}") from exc
        if claims.get("typ") != "access" or "trust_id" not in claims:
            raise TokenError("not an access token")
        try:
            grants = tuple(Grant.from_claim(claim) for claim in claims.get("grants", []))
        except (KeyError, TypeError) as exc:
            raise TokenError("malformed grants claim") from exc
        principal = Principal(person_id=str(claims["sub"]), trust_id=str(claims["trust_id"]), grants=grants,
                              token_id=claims.get("jti"))
        return _Accepted(principal, kid, key, float(claims["exp"]))

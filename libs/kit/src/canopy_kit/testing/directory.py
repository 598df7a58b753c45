"""Minting access tokens a service's API accepts in its tests (the staff directory behind them is
``canopy_kit.testing.harness.StaffDirectory``: identity's events through the service's inbox)."""
from __future__ import annotations

import time
from dataclasses import replace

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from canopy_kit.auth.tokens import StaticKeySource
from canopy_kit.service import ServiceSpec

TEST_KID = "test-key"


class TokenMinter:
    """Signs access tokens like identity does; ``spec_with_keys`` makes a service trust them."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()

    def spec_with_keys(self, spec: ServiceSpec) -> ServiceSpec:
        return replace(spec, key_source=lambda _runtime: StaticKeySource({TEST_KID: self.key.public_key()}))

    def token(self, person_id: str, trust_id: str, grants: list[dict]) -> str:
        now = int(time.time())
        claims = {"iss": "canopy-identity", "aud": "canopy", "sub": person_id, "trust_id": trust_id,
                  "typ": "access", "grants": grants, "iat": now, "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="EdDSA", headers={"kid": TEST_KID})

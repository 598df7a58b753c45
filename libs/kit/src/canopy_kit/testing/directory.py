"""Putting a staff directory in a service's projection for its tests, as identity's events would,
and minting access tokens its API accepts."""
from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import date, datetime, timezone

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from canopy_kit.auth.tokens import StaticKeySource
from canopy_kit.db.tables import (
    dir_employments, dir_line_managers, dir_people, dir_role_grants, dir_schools,
)
from canopy_kit.projections.directory import upsert_if_newer
from canopy_kit.service import Runtime, ServiceSpec

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


class DirectoryBuilder:
    """Writes directory rows for one trust and remembers each person's grants for their token."""

    def __init__(self, runtime: Runtime, minter: TokenMinter, trust_id: str | None = None):
        self.runtime = runtime
        self.minter = minter
        self.trust_id = trust_id or str(uuid.uuid4())
        self.grants: dict[str, list[dict]] = {}

    def _write(self, table, key: str, values: dict) -> str:
        with self.runtime.uow_factory() as uow:
            upsert_if_newer(uow.session, table, key, {**values, "trust_id": self.trust_id,
                                                       "updated_at": datetime.now(timezone.utc)})
            uow.commit()
        return values[key]

    def school(self, name: str, phase: str = "primary") -> str:
        return self._write(dir_schools, "school_id", {"school_id": str(uuid.uuid4()), "name": name, "phase": phase,
                                                      "status": "open"})

    def person(self, name: str, school_id: str | None = None, *, starts_on: date = date(2024, 9, 1),
               ends_on: date | None = None, roles: tuple[str, ...] = ()) -> str:
        person_id = self._write(dir_people, "person_id", {
            "person_id": str(uuid.uuid4()), "given_name": name, "family_name": "Test", "preferred_name": None,
            "email": f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.org", "status": "active"})
        self.grants[person_id] = []
        if school_id:
            self.employ(person_id, school_id, starts_on=starts_on, ends_on=ends_on)
        for role in roles:
            self.grant(person_id, role, "trust" if role in ("trust_admin", "trust_leader") else "school",
                       self.trust_id if role in ("trust_admin", "trust_leader") else school_id)
        return person_id

    def employ(self, person_id: str, school_id: str, *, starts_on: date = date(2024, 9, 1),
               ends_on: date | None = None, employment_id: str | None = None) -> str:
        return self._write(dir_employments, "employment_id", {
            "employment_id": employment_id or str(uuid.uuid4()), "person_id": person_id, "school_id": school_id,
            "job_title": "Teacher", "staff_category": "teaching", "fte": 1, "starts_on": starts_on,
            "ends_on": ends_on})

    def grant(self, person_id: str, role: str, scope_type: str, scope_id: str) -> None:
        self._write(dir_role_grants, "grant_id", {
            "grant_id": str(uuid.uuid4()), "person_id": person_id, "role": role, "scope_type": scope_type,
            "scope_id": scope_id, "valid_from": date(2020, 1, 1), "valid_to": None})
        self.grants.setdefault(person_id, []).append({"role": role, "scope": scope_type, "id": scope_id})

    def manage(self, manager_id: str, person_id: str, school_id: str, starts_on: date = date(2024, 9, 1)) -> None:
        self._write(dir_line_managers, "assignment_id", {
            "assignment_id": str(uuid.uuid4()), "person_id": person_id, "manager_id": manager_id,
            "school_id": school_id, "starts_on": starts_on, "ends_on": None})

    def headers(self, person_id: str) -> dict:
        token = self.minter.token(person_id, self.trust_id, self.grants.get(person_id, []))
        return {"Authorization": f"Bearer {token}"}

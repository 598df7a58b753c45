"""Who is calling, from the verified token: person, trust, and the roles they hold where."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Grant:
    role: str
    scope_type: str  # trust | school | group
    scope_id: str
    schools: tuple[str, ...] = ()  # for a group grant: the schools in the group when issued

    def covers_school(self, school_id: str, trust_id: str) -> bool:
        if self.scope_type == "trust":
            return self.scope_id == trust_id
        if self.scope_type == "school":
            return self.scope_id == school_id
        return school_id in self.schools

    def to_claim(self) -> dict[str, Any]:
        claim: dict[str, Any] = {"role": self.role, "scope": self.scope_type, "id": self.scope_id}
        if self.schools:
            claim["schools"] = list(self.schools)
        return claim

    @classmethod
    def from_claim(cls, claim: dict[str, Any]) -> "Grant":
        return cls(role=str(claim["role"]), scope_type=str(claim["scope"]), scope_id=str(claim["id"]),
                   schools=tuple(str(s) for s in claim.get("schools", ())))


@dataclass(frozen=True)
class Principal:
    person_id: str
    trust_id: str
    grants: tuple[Grant, ...] = ()
    token_id: str | None = None

    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    def has_role(self, roles: str | Iterable[str], *, school_id: str | None = None) -> bool:
        """Holds one of ``roles`` at trust scope, or (when ``school_id`` is given) covering that school."""
        wanted = {roles} if isinstance(roles, str) else set(roles)
        for grant in self.grants:
            if grant.role not in wanted:
                continue
            if grant.scope_type == "trust" and grant.scope_id == self.trust_id:
                return True
            if school_id is not None and grant.covers_school(school_id, self.trust_id):
                return True
        return False

    def schools_with(self, roles: str | Iterable[str]) -> set[str]:
        """Schools where the caller holds one of ``roles`` by a school or group grant."""
        wanted = {roles} if isinstance(roles, str) else set(roles)
        found: set[str] = set()
        for grant in self.grants:
            if grant.role in wanted:
                if grant.scope_type == "school":
                    found.add(grant.scope_id)
                elif grant.scope_type == "group":
                    found.update(grant.schools)
        return found

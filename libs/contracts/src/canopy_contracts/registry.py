"""Which payload schema belongs to which (event type, version).

Contracts are declared once, in ``canopy_contracts.events.<publisher>`` as a module-level
``CONTRACTS`` tuple; the registry discovers every such module, so a new publisher adds its
module and nothing else.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterable

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError


class ContractError(ValueError):
    """A payload that breaks its contract. ``errors`` maps field to reasons."""

    def __init__(self, event_type: str, version: int, errors: dict[str, Any]):
        super().__init__(f"{event_type} v{version} payload is invalid: {errors}")
        self.event_type = event_type
        self.version = version
        self.errors = errors


class UnknownEventType(ContractError):
    def __init__(self, event_type: str, version: int):
        super().__init__(event_type, version, {"event_type": [f"no contract for {event_type} v{version}"]})


@dataclass(frozen=True)
class Contract:
    """One version of one event's payload.

    ``example`` is a valid payload that consumer tests use; the registry checks it validates.
    Producers are strict (unknown fields are a bug in the producer); consumers ignore fields they
    do not know, so adding an optional field is not a breaking change and needs no new version.
    """

    event_type: str
    version: int
    schema: type[Schema]
    example: dict[str, Any]
    description: str = ""
    publisher: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "publisher", self.event_type.split(".", 1)[0])

    @cached_property
    def _strict(self) -> Schema:
        return self.schema(unknown=RAISE)  # one instance per contract: building one costs more than using it

    @cached_property
    def _tolerant(self) -> Schema:
        return self.schema(unknown=EXCLUDE)

    def dump(self, values: dict[str, Any]) -> dict[str, Any]:
        """Turn Python values (UUIDs, dates) into the JSON-safe payload, rejecting stray keys."""
        schema = self._strict
        unknown = sorted(set(values) - set(schema.fields))
        if unknown:
            raise ContractError(self.event_type, self.version, {k: ["unknown field"] for k in unknown})
        data = schema.dump(values)
        errors = schema.validate(data)
        if errors:
            raise ContractError(self.event_type, self.version, errors)
        return data

    def load(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Validate a received payload and return typed values."""
        try:
            return self._tolerant.load(payload)
        except ValidationError as exc:
            raise ContractError(self.event_type, self.version, exc.messages_dict) from exc


class ContractRegistry:
    def __init__(self, contracts: Iterable[Contract] = ()):
        self._contracts: dict[tuple[str, int], Contract] = {}
        for contract in contracts:
            self.register(contract)

    def register(self, contract: Contract) -> None:
        key = (contract.event_type, contract.version)
        if key in self._contracts:
            raise ValueError(f"contract {key} registered twice")
        contract.load(contract.example)  # an example that does not validate is a bug
        self._contracts[key] = contract

    def get(self, event_type: str, version: int) -> Contract:
        try:
            return self._contracts[(event_type, version)]
        except KeyError:
            raise UnknownEventType(event_type, version) from None

    def latest(self, event_type: str) -> Contract:
        versions = [c for (t, _), c in self._contracts.items() if t == event_type]
        if not versions:
            raise UnknownEventType(event_type, 0)
        return max(versions, key=lambda c: c.version)

    def event_types(self, publisher: str | None = None) -> list[str]:
        return sorted({t for (t, _) in self._contracts if publisher is None or t.startswith(publisher + ".")})

    def __iter__(self):
        return iter(sorted(self._contracts.values(), key=lambda c: (c.event_type, c.version)))

    def __len__(self) -> int:
        return len(self._contracts)


def discover_contracts() -> list[Contract]:
    from canopy_contracts import events

    found: list[Contract] = []
    for module_info in sorted(pkgutil.iter_modules(events.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{events.__name__}.{module_info.name}")
        found.extend(getattr(module, "CONTRACTS", ()))
    return found


@lru_cache(maxsize=1)
def default_registry() -> ContractRegistry:
    """Every contract of every publisher, built on first use."""
    return ContractRegistry(discover_contracts())

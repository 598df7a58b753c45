"""Canopy event contracts.

The envelope every event travels in, and the versioned payload schemas of every publisher
(one module per publisher under ``canopy_contracts.events``). Producers validate against these
when they write to their outbox; consumers validate again when they receive.
"""
from canopy_contracts.envelope import Envelope, EnvelopeError, new_envelope
from canopy_contracts.registry import (
    Contract,
    ContractError,
    ContractRegistry,
    UnknownEventType,
    default_registry,
)

__all__ = [
    "Contract",
    "ContractError",
    "ContractRegistry",
    "Envelope",
    "EnvelopeError",
    "UnknownEventType",
    "default_registry",
    "new_envelope",
]

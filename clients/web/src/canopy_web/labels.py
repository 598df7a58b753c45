"""What the APIs' values are called on the pages, where more than one area shows them. The values
themselves come from the platform's published contracts, as any client would take them from its
SDK; a value without a label of its own is shown in words (``words``, the templates' ``| words``)."""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from canopy_contracts.events.portfolio import ACTIVITY_TYPES, DELIVERIES

# A CPD activity's type, in the contracts' order (the order forms offer them in).
ACTIVITY_TYPE_LABELS = {"course": "Course", "conference": "Conference", "qualification": "Qualification (e.g. NPQ)",
                        "inset": "INSET day", "trust_programme": "Trust programme session", "coaching": "Coaching",
                        "peer_observation": "Peer observation", "reading": "Reading", "online": "Online learning",
                        "other": "Other"}
DELIVERY_LABELS = {"internal": "Internal (in school or the trust)", "external": "External"}


def _choices(values: Iterable[str], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """(value, label) for a select, in the values' order."""
    return [(value, labels.get(value, value)) for value in values]


def activity_type_choices() -> list[tuple[str, str]]:
    return _choices(ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS)


def delivery_choices() -> list[tuple[str, str]]:
    return _choices(DELIVERIES, DELIVERY_LABELS)


def words(value: Any) -> str:
    """``cover_needed`` → ``Cover needed``: an API's enum value as a person reads it."""
    text = str(value or "").replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def in_words(values: Iterable[str]) -> list[tuple[str, str]]:
    """(value, the value in words) for a select of an enumeration without labels of its own."""
    return [(value, words(value)) for value in values]

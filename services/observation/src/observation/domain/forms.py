"""Form definitions and the responses recorded on them, as plain Python (no Flask, no SQLAlchemy).

A definition is ``{"sections": [{"title", "items": [item, ...]}]}``; an item has an ``id`` unique in
the form, a ``kind``, a ``label``, optional ``help``, ``required`` and ``principle_id``, and per kind:
``scale`` (rating: the trust's own ``[{"value", "label"}]``), ``options`` (single/multiple choice,
checklist: ``[{"value", "label"}]``), ``min``/``max`` (number). Responses map item id -> value.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from canopy_kit.errors import Invalid

CHOICE_KINDS = ("single_choice", "multiple_choice", "checklist")


class FormError(Invalid):
    """Input that does not fit a form: ``field`` names where, ``reason`` says why (an invalid field,
    answered as the platform answers every other)."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}", errors={field: [reason]})
        self.field = field
        self.reason = reason


def items(definition: dict) -> Iterator[dict]:
    for section in definition["sections"]:
        yield from section["items"]


def principle_ids(definition: dict) -> set[str]:
    return {item["principle_id"] for item in items(definition) if item.get("principle_id")}


def check_definition(definition: dict) -> None:
    """Raise ``FormError`` for a form that could not be filled in consistently."""
    seen: set[str] = set()
    for s, section in enumerate(definition["sections"]):
        if not section["items"]:
            raise FormError(f"sections.{s}.items", "a section needs at least one item")
        for i, item in enumerate(section["items"]):
            where = f"sections.{s}.items.{i}"
            if item["id"] in seen:
                raise FormError(f"{where}.id", f"item id {item['id']!r} is used twice")
            seen.add(item["id"])
            kind = item["kind"]
            if kind == "rating":
                values = [point["value"] for point in item.get("scale") or []]
                if len(set(values)) < 2 or len(set(values)) != len(values):
                    raise FormError(f"{where}.scale", "a rating needs at least two points with distinct values")
            if kind in CHOICE_KINDS:
                values = [option["value"] for option in item.get("options") or []]
                if not values or len(set(values)) != len(values):
                    raise FormError(f"{where}.options", "needs at least one option, with distinct values")
            if kind == "number" and None not in (item.get("min"), item.get("max")) and item["min"] > item["max"]:
                raise FormError(f"{where}.min", "must not be above max")


def _check_value(item: dict, value: Any) -> Any:
    kind = item["kind"]
    if kind == "rating":
        allowed = {point["value"] for point in item["scale"]}
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in allowed:
            raise ValueError(f"must be one of the scale's values: {sorted(allowed)}")
        return value
    if kind == "single_choice":
        if value not in {o["value"] for o in item["options"]}:
            raise ValueError("must be one of the options' values")
        return value
    if kind in ("multiple_choice", "checklist"):
        allowed = {o["value"] for o in item["options"]}
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            raise ValueError("must be a list of the options' values")
        if len(set(value)) != len(value):
            raise ValueError("lists an option twice")
        return value
    if kind == "text":
        if not isinstance(value, str) or len(value) > 5000:
            raise ValueError("must be text of at most 5000 characters")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("must be a number")
        if (item.get("min") is not None and value < item["min"]) or (
                item.get("max") is not None and value > item["max"]):
            raise ValueError(f"must be between {item.get('min')} and {item.get('max')}")
        return value
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError("must be a date (YYYY-MM-DD)") from None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_responses(definition: dict, responses: dict[str, Any]) -> dict[str, Any]:
    """The responses, checked against this form version; raises ``FormError`` naming the item."""
    by_id = {item["id"]: item for item in items(definition)}
    unknown = sorted(set(responses) - set(by_id))
    if unknown:
        raise FormError(f"responses.{unknown[0]}", "no such item in this form version")
    clean: dict[str, Any] = {}
    for item_id, item in by_id.items():
        value = responses.get(item_id)
        if _empty(value):
            if item.get("required"):
                raise FormError(f"responses.{item_id}", "is required")
            continue
        try:
            clean[item_id] = _check_value(item, value)
        except ValueError as exc:
            raise FormError(f"responses.{item_id}", str(exc)) from None
    return clean


def ratings(definition: dict, responses: dict[str, Any]) -> list[dict[str, Any]]:
    """Each answered rating item with its value normalised to 0..1 on the item's own scale, so
    that ratings on different scales and form versions compare through their principle."""
    found = []
    for item in items(definition):
        if item["kind"] != "rating" or item["id"] not in responses:
            continue
        values = [point["value"] for point in item["scale"]]
        low, high = min(values), max(values)
        value = responses[item["id"]]
        found.append({"item_id": item["id"], "principle_id": item.get("principle_id"), "value": float(value),
                      "normalised": round((value - low) / (high - low), 4)})
    return found


def _label(item: dict, value: Any) -> Any:
    points = item.get("scale") or item.get("options")
    if not points or value is None:
        return None
    labels = {point["value"]: point["label"] for point in points}
    return [labels[v] for v in value] if isinstance(value, list) else labels.get(value)


def render(definition: dict, responses: dict[str, Any]) -> list[dict[str, Any]]:
    """The form version as recorded: each section and item, with the response and its label."""
    return [{"title": section["title"],
             "items": [{**item, "response": responses.get(item["id"]),
                        "response_label": _label(item, responses.get(item["id"]))} for item in section["items"]]}
            for section in definition["sections"]]

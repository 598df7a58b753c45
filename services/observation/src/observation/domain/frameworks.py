"""Frameworks' rules: a framework has numbered versions; one draft at a time above the published
ones, and a published version never changes. An item keeps its id (the "principle id" forms and
ratings link to) from version to version while its code stays the same, so reports compare across
versions."""
from __future__ import annotations

from typing import Callable

from canopy_kit.errors import Conflict, Invalid
from observation.domain.drafts import DRAFT, PUBLISHED  # noqa: F401 (a framework version's states)


def item_ids(items: list[dict], previous: dict[str, str], new_id: Callable[[], str]) -> list[str]:
    """Each item's id in a new version: its code's id in the ``previous`` version (code -> id),
    or a new one. Codes name items, so each item needs its own."""
    codes = [item["code"] for item in items]
    if len(set(codes)) != len(codes):
        raise Invalid.on("items", "every item needs its own code")
    return [previous.get(code) or new_id() for code in codes]


def check_may_draft(latest_version: int, latest_status: str) -> None:
    if latest_status == DRAFT:
        raise Conflict(f"version {latest_version} is still a draft: publish it first")

"""Drafts two people may edit at once (a form's draft version, a record's draft): each save names
the version it was made from (``If-Match``), and a save from an older one would lose someone's work."""
from __future__ import annotations

from canopy_kit.errors import Conflict, Stale

DRAFT, PUBLISHED = "draft", "published"


def check_row_version(row_version: int, expected: int | None) -> None:
    """``expected`` is the version the caller read (None: they did not say, and take their chance)."""
    if expected is not None and expected != row_version:
        raise Stale("the draft changed since you read it; reload it and try again",
                    errors={"If-Match": [f"current version is {row_version}"]})


def check_draft_to_publish(latest_status: str) -> None:
    """Publishing makes the draft above the published versions published: there must be one."""
    if latest_status != DRAFT:
        raise Conflict("there is no draft to publish")

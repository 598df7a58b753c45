"""Form templates' rules: where a form may be used, and when it may be edited, published and
recorded on.

A template is the trust's (shared with every school, or with some) or one school's own. Editing
never changes a published version: it makes (or updates) the one draft above it. A record is made
on a published version of an active template usable at the record's school; older published
versions stay usable (a drop-in captured offline on Monday and posted on Wednesday is still valid).
"""
from __future__ import annotations

from canopy_kit.errors import Conflict, Invalid
from observation.domain.drafts import DRAFT, PUBLISHED, check_draft_to_publish  # noqa: F401 (a version's states)

ACTIVE, RETIRED = "active", "retired"


def check_sharing(owner_school_id: str | None, shared_with: list[str] | None) -> None:
    """A school's own form is that school's: only the trust's forms are shared."""
    if owner_school_id and shared_with is not None:
        raise Invalid("a school's own form is not shared", errors={"shared_with_school_ids": ["must be null"]})


def available_at(owner_school_id: str | None, shared_with: list[str] | None, school_id: str) -> bool:
    """``shared_with`` None: every school of the trust."""
    if owner_school_id is not None:
        return owner_school_id == school_id
    return shared_with is None or school_id in shared_with


def check_editable(template_status: str) -> None:
    if template_status == RETIRED:
        raise Conflict("the template is retired")


def check_publishable(template_status: str, latest_status: str) -> None:
    """Only the draft above the published versions is published, and never on a retired form."""
    check_editable(template_status)
    check_draft_to_publish(latest_status)


def check_usable(*, version_status: str, template_status: str, available: bool) -> None:
    """May a new record be made on this form version (``available``: at the record's school)?"""
    if version_status != PUBLISHED:
        raise Invalid.on("template_version_id", "this form version is a draft: publish it before recording on it")
    if template_status == RETIRED:
        raise Invalid.on("template_version_id", "this form is retired")
    if not available:
        raise Invalid.on("template_version_id", "this form is not shared with the record's school")

"""The trust's structure: its slug, and the URN that names each school."""
from __future__ import annotations

import re

from canopy_kit.errors import Invalid

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


def trust_slug(slug: str) -> str:
    """The slug as stored (lower case), if it is one: it is part of sign-in and of URLs."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise Invalid.on("slug", "3 to 64 lower-case letters, digits and hyphens")
    return slug


def school_urn(urn: str | None) -> str | None:
    """Blank is no URN, as the importer reads it."""
    return (urn or "").strip() or None

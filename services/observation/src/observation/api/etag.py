"""``ETag``/``If-Match`` for drafts two people may edit at once: the tag is the row's version."""
from __future__ import annotations

from flask import request

from canopy_kit.web.errors import field_error

IF_MATCH_PARAMETER = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                      "description": "the ETag you read; a stale one is answered 412"}


def expected_version() -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise field_error("If-Match", "must be an ETag this API returned", 400)
    return int(tag)


def tagged(body: dict, row_version: int) -> tuple[dict, int, dict]:
    return body, 200, {"ETag": f'"{row_version}"'}

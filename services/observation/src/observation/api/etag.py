"""``ETag``/``If-Match`` for drafts two people may edit at once: the tag is the row's version."""
from __future__ import annotations

import re

from flask import request

from canopy_kit.errors import BadRequest

# ASCII digits only (str.isdigit also takes "²", which int() refuses), and few enough of them for
# every database's integer: a version is a small number.
VERSION_TAG = re.compile(r"[0-9]{1,18}")

IF_MATCH_PARAMETER = {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                      "description": "the ETag you read; a stale one is answered 412"}


def expected_version() -> int | None:
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not VERSION_TAG.fullmatch(tag):
        raise BadRequest.on("If-Match", "must be an ETag this API returned")
    return int(tag)


def tagged(body: dict, row_version: int) -> tuple[dict, int, dict]:
    return body, 200, {"ETag": f'"{row_version}"'}

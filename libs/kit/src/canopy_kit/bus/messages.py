"""Reading what a message carries without trusting it: a consumer or the dead-letter tool that
raised on a message's bytes or headers would get the same message back and stop for good."""
from __future__ import annotations

import json
import logging
from typing import Any, Mapping

log = logging.getLogger("canopy.consumer")

ATTEMPTS_HEADER = "x-canopy-attempts"
ERROR_HEADER = "x-canopy-error"
MAX_ATTEMPTS_COUNTED = 1_000_000


def attempts_of(headers: Mapping[str, Any] | None) -> int:
    """How often the message already failed, as its header says; 0 where the header is missing
    or is not a count (a message someone else published)."""
    value = (headers or {}).get(ATTEMPTS_HEADER, 0)
    try:
        attempts = int(value or 0)
    except (TypeError, ValueError, OverflowError):
        log.warning("ignoring an attempts header that is not a count: %.40r", value)
        return 0
    return min(max(attempts, 0), MAX_ATTEMPTS_COUNTED)


def text_of(body: Any) -> str:
    """The body as text, whatever its bytes."""
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    return body if isinstance(body, str) else str(body)


def json_or_none(text: str) -> Any:
    """The parsed JSON, or None for anything that is not (nesting too deep included)."""
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return None

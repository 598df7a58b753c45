"""What a password must be: long enough to resist guessing, short enough to hash cheaply."""
from __future__ import annotations

from canopy_kit.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 256


def check_password(password: str) -> None:
    """``Invalid`` on ``password`` unless it keeps the policy."""
    if len(password) < MIN_LENGTH:
        raise Invalid.on("password", f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise Invalid.on("password", f"must be at most {MAX_LENGTH} characters")

"""What of an observation the reports count. Only reportable records that have left draft: a
developmental record is the teacher's own (the observation contract does not even carry its
ratings), and a draft may still change. A rating, normalised to 0..1 whatever the framework's
scale, is a strength from ``STRONG_FROM`` and something to develop below ``DEVELOPING_BELOW``; in
between it is neither."""
from __future__ import annotations

REPORTABLE = "reportable"
DRAFT = "draft"
STRONG_FROM = 0.75
DEVELOPING_BELOW = 0.5


def counts_in_reports(privacy: str, status: str) -> bool:
    return privacy == REPORTABLE and status != DRAFT


def is_strength(normalised: float) -> bool:
    return normalised >= STRONG_FROM


def needs_development(normalised: float) -> bool:
    return normalised < DEVELOPING_BELOW

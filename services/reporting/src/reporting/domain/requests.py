"""CPD requests as reports count them, from portfolio's two events about each: its submission
(what was asked: the first day, the cost, cover) and its decision (approved or declined, by the
school's CPD lead or head).

- A request is pending until its decision arrives, and decided from then on, whichever of the two
  events arrives first: portfolio decides a request once, so a decision is never undone by the
  submission it followed.
- A request counts in the academic year of its first day, as the activity an approval records
  does: a year's approved cost and that year's CPD spend then speak of the same activities. Until
  its submission arrives a request has no first day, and counts nowhere yet.
- Portfolio publishes no event when a request is withdrawn, so reporting cannot tell a withdrawn
  request from a pending one: both count as pending.
"""
from __future__ import annotations

from datetime import date

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
STATUSES = (PENDING, APPROVED, DECLINED)
# What the requests report shows. An approved request is a CPD activity, in the CPD reports and
# blanked there; shown here too, subtracting it from the activities would give the figures of the
# activities recorded some other way, a group the threshold never sees.
SHOWN_STATUSES = (PENDING, DECLINED)


def counts_in_reports(starts_on: date | None) -> bool:
    """Whether a request is counted yet: once its submission said when it starts."""
    return starts_on is not None

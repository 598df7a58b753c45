"""Employments: one person, at one school, over dates; a person may hold several at once."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from canopy_kit.errors import Conflict, Invalid

FULL_TIME = Decimal("1.000")


def check_new_employment(*, school_status: str, starts_on: date, ends_on: date | None, fte) -> Decimal:
    """The employment's FTE to three places (the API speaks floats), if it may start as asked."""
    if school_status != "open":
        raise Invalid.on("school_id", "the school is closed")
    if ends_on is not None and ends_on < starts_on:
        raise Invalid.on("ends_on", "must not be before starts_on")
    fte = Decimal(str(fte)).quantize(Decimal("0.001"))
    if not Decimal("0") < fte <= Decimal("1"):
        raise Invalid.on("fte", "must be more than 0 and at most 1")
    return fte


def check_end(*, starts_on: date, ended_on: date | None, ends_on: date) -> None:
    """May an employment that started on ``starts_on`` (and ended on ``ended_on``, if it did) end
    on ``ends_on``? Ending one earlier than it already ended is a correction; later is refused."""
    if ends_on < starts_on:
        raise Invalid.on("ends_on", "must not be before the employment started")
    if ended_on is not None and ended_on <= ends_on:
        raise Conflict.on("ends_on", f"the employment already ended on {ended_on.isoformat()}")


def ends_the_account(*, ends_on: date, today: date, still_engaged: bool) -> bool:
    """Does ending this employment leave the person with nothing in the trust, so that their
    account is disabled? Only once the day has come, and only if no other employment runs after
    it and they hold no trust-wide role (``still_engaged``)."""
    return ends_on <= today and not still_engaged

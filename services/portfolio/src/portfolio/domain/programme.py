"""The trust's programme: a place on a session is one's own to take and cancel, while places last;
attendance is marked for those booked."""
from __future__ import annotations

from typing import Iterable

from canopy_kit.errors import Conflict, Forbidden, Invalid

CANCELLED = "cancelled"


def check_booking(existing_status: str | None, taken: int, places: int) -> None:
    """``existing_status``: the person's earlier booking of the session, if any; ``taken``: places
    held by bookings not cancelled."""
    if existing_status is not None and existing_status != CANCELLED:
        raise Conflict("you already have a place on this session")
    if taken >= places:
        raise Conflict("this session is full")


def check_cancel(booked_by: str, person_id: str, status: str) -> None:
    if booked_by != person_id:
        raise Forbidden("only the person who booked can cancel")
    if status != "booked":
        raise Conflict(f"the booking is {status}")


def check_attendance(booked: Iterable[str], marked: Iterable[str]) -> None:
    """Attendance is marked only for people holding a place (a second marking finds none)."""
    holding = set(booked)
    strangers = [person for person in marked if person not in holding]
    if strangers:
        raise Invalid.on("attended", f"not booked on this session (or already marked): {', '.join(strangers)}")

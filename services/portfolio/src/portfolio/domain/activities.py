"""What makes an activity's record sound: its dates, its standards, and the school it happened under."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from canopy_contracts.standards import unknown_standards
from canopy_kit.errors import Invalid


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise Invalid.on("ends_on", "must not be before starts_on")


def standard_codes(codes: Iterable[str]) -> list[str]:
    """The national standards an item is linked to, each once and in order; unknown codes are refused."""
    codes = list(codes)
    unknown = unknown_standards(codes)
    if unknown:
        raise Invalid.on("linked_standards", f"unknown standards: {', '.join(unknown)}")
    return sorted(set(codes))


def school_of_record(schools_that_day: Iterable[str], wanted: str | None = None) -> str | None:
    """The school a record happened under, given the schools the person worked at that day: the
    one asked for if it is one of them, else the first of them (someone in two), else none. That
    school keeps the record after the person moves on."""
    schools = sorted(schools_that_day)
    if wanted is not None:
        if wanted not in schools:
            raise Invalid.on("school_id", "the person did not work at this school on that day")
        return wanted
    return schools[0] if schools else None

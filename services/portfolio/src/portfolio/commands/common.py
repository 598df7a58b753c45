"""What portfolio's commands share."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from canopy_contracts.standards import unknown_standards
from canopy_kit.db.rows import new_id, now, row_in_trust  # noqa: F401 (shared by the handlers)
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.web.errors import field_error


get_row = row_in_trust


def standards_json(codes: list[str]) -> str:
    unknown = unknown_standards(codes)
    if unknown:
        raise field_error("linked_standards", f"unknown standards: {', '.join(unknown)}")
    return json.dumps(sorted(set(codes)))


def check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise field_error("ends_on", "must not be before starts_on")


def school_on(session: Session, person_id: str, on: date, wanted: str | None = None) -> str | None:
    """The school a record happened under: the one asked for if the person worked there that day,
    else their school that day (the first, for someone in two), else none."""
    schools = sorted(ProjectedDirectory.of(session).works_at(person_id, on))
    if wanted is not None:
        if wanted not in schools:
            raise field_error("school_id", "the person did not work at this school on that day")
        return wanted
    return schools[0] if schools else None

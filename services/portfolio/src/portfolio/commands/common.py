"""What several commands look up or store alike: where a person worked on a day, and standards."""
from __future__ import annotations

import json
from datetime import date
from typing import Iterable

from sqlalchemy.orm import Session

from canopy_kit.projections.directory import ProjectedDirectory
from portfolio.domain.activities import standard_codes


def schools_on(session: Session, person_id: str, on: date) -> set[str]:
    """The schools the person worked at on that day (from the directory projection)."""
    return ProjectedDirectory.of(session).works_at(person_id, on)


def standards_json(codes: Iterable[str]) -> str:
    return json.dumps(standard_codes(codes))

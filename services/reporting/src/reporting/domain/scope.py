"""Which cells a report shows: the schools its reader may see, narrowed by the filters they chose.

Filters narrow what a reader may see, never widen it: a school filter must name one of the trust's
schools (another trust's school does not exist for the caller) and one the reader may read; a phase
filter keeps that phase's schools. The trust as a whole (school ``all``) and the staff who work at
no school (``none``) are rows of their own, shown to a reader of the whole trust who filtered
nothing: a filtered answer is a selection of schools, and those two rows belong to none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

from canopy_kit.errors import Forbidden, NotFound

ALL_SCHOOLS = "all"  # the trust-wide cell's school
NO_SCHOOL = "none"  # facts recorded while the person worked at no school (e.g. trust central staff)


@dataclass(frozen=True)
class School:
    school_id: str
    name: str
    phase: str | None


TRUST_ROW = School(ALL_SCHOOLS, "All schools", None)
NO_SCHOOL_ROW = School(NO_SCHOOL, "No school (trust-wide staff)", None)


def cell_school(school_id: str | None) -> str:
    """The school a fact is counted at: what was recorded at no school has a cell of its own."""
    return str(school_id) if school_id is not None else NO_SCHOOL


@dataclass(frozen=True)
class Scope:
    """The cells a report shows: these schools, and the trust-wide row if ``whole_trust``."""

    trust_id: str
    schools: dict[str, School]
    whole_trust: bool
    trust_schools: dict[str, School] | None = None  # every school of the trust, whatever was chosen

    def population(self) -> "Scope":
        """Every cell of the trust: what suppression is decided on, whoever asks."""
        schools = self.trust_schools if self.trust_schools is not None else self.schools
        return Scope(self.trust_id, {**schools, NO_SCHOOL: NO_SCHOOL_ROW}, whole_trust=True)

    def cell_schools(self) -> list[str]:
        return [*self.schools, *([ALL_SCHOOLS] if self.whole_trust else [])]

    def label(self, school_id: str) -> School:
        if school_id == ALL_SCHOOLS:
            return TRUST_ROW
        return self.schools.get(school_id, NO_SCHOOL_ROW)


def narrow(trust_id: str, schools: dict[str, School], readable: Collection[str] | None, *, whole_trust: bool,
           school_id: str | None = None, phase: str | None = None) -> Scope:
    """The scope of a report for a reader of ``readable`` schools (None: every school; with
    ``whole_trust``, the trust as a whole too), filtered to one school or one phase.

    ``schools`` are all the trust's schools. A school that is not one of them is ``NotFound``, one
    the reader may not read ``Forbidden``, both naming ``school_id``."""
    if school_id is not None and school_id not in schools:
        raise NotFound.on("school_id", "no such school in your trust")
    if school_id is not None and readable is not None and school_id not in readable:
        raise Forbidden.on("school_id", "you may read the reports of your own school only")
    chosen = {sid: school for sid, school in schools.items()
              if (readable is None or sid in readable) and school_id in (None, sid) and phase in (None, school.phase)}
    unfiltered = school_id is None and phase is None
    if whole_trust and unfiltered:
        chosen[NO_SCHOOL] = NO_SCHOOL_ROW
    return Scope(trust_id, chosen, whole_trust=whole_trust and unfiltered, trust_schools=schools)

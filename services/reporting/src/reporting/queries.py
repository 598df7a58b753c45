"""The standard dashboards: each reads a few hundred rollup cells (one per school and dimension
value) instead of aggregating the raw facts, and returns flat rows (one per school, or per school
and principle / activity type / stage / request status) ready for a chart or a CSV file. Small
groups are blanked as they leave (``report_rows``), after the shares and means are worked out."""
from __future__ import annotations

from typing import Any, Callable, Collection, Mapping

from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.orm import Session

from canopy_kit.db.tables import dir_employments, dir_schools
from reporting import disclosure
from reporting.domain.requests import SHOWN_STATUSES
from reporting.domain.scope import ALL_SCHOOLS, School, Scope
from reporting.domain.suppression import suppress
from reporting.domain.years import bounds
from reporting.rollups.definitions import IMPACT_DIMENSIONS
from reporting.tables import (
    cpd_request_cells, cpd_school_cells, cpd_type_cells, impact_cells, obs_principle_cells, obs_school_cells,
    principles,
)

Row = dict[str, Any]


def _ratio(part, whole) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def _cells(session: Session, table: Table, scope: Scope, year: int) -> list:
    c = table.c
    return session.execute(select(table).where(
        c.trust_id == scope.trust_id, c.academic_year == year, c.school_id.in_(scope.cell_schools()))).all()


def _school(scope: Scope, school_id: str) -> Row:
    school = scope.label(school_id)
    return {"school_id": school_id, "school_name": school.name, "phase": school.phase}


def _order(rows: list[Row], *then: str) -> list[Row]:
    # Schools by name, the trust-wide row last.
    return sorted(rows, key=lambda r: (r["school_id"] == ALL_SCHOOLS, r["school_name"], *(str(r[k]) for k in then)))


def observation_profile(session: Session, scope: Scope, year: int) -> list[Row]:
    """Per school and principle: how many ratings from how many people, the mean normalised
    rating, and the shares that were strengths and that need development."""
    names = {row.principle_id: row for row in session.execute(
        select(principles.c.principle_id, principles.c.code, principles.c.title)
        .where(principles.c.trust_id == scope.trust_id))}
    rows = []
    for cell in _cells(session, obs_principle_cells, scope, year):
        principle = names.get(cell.principle_id)
        rows.append({**_school(scope, cell.school_id), "principle_id": cell.principle_id,
                     "code": principle.code if principle else None, "title": principle.title if principle else None,
                     "people": cell.people, "ratings": cell.ratings, "mean": _ratio(cell.score_total, cell.ratings),
                     "strong_share": _ratio(cell.strong, cell.ratings),
                     "developing_share": _ratio(cell.developing, cell.ratings)})
    return _order(rows, "code")


def cpd_summary(session: Session, scope: Scope, year: int) -> list[Row]:
    """Per school: activities, people, hours, spend, cover needed, external share, hours per person."""
    rows = [{**_school(scope, cell.school_id), "people": cell.people, "activities": cell.activities,
             "hours": float(cell.hours), "cost": float(cell.cost), "cover": cell.cover,
             "external_share": _ratio(cell.external, cell.activities),
             "hours_per_person": _ratio(cell.hours, cell.people)}
            for cell in _cells(session, cpd_school_cells, scope, year)]
    return _order(rows)


def cpd_by_type(session: Session, scope: Scope, year: int) -> list[Row]:
    rows = [{**_school(scope, cell.school_id), "activity_type": cell.activity_type, "people": cell.people,
             "activities": cell.activities, "hours": float(cell.hours), "cost": float(cell.cost)}
            for cell in _cells(session, cpd_type_cells, scope, year)]
    return _order(rows, "activity_type")


def cpd_impact(session: Session, scope: Scope, year: int) -> list[Row]:
    """Per school and stage (immediate, follow-up): the mean of each impact rating (1-5)."""
    rows = []
    for cell in _cells(session, impact_cells, scope, year):
        means = {dim: _ratio(getattr(cell, f"{dim}_total"), getattr(cell, f"{dim}_n")) for dim in IMPACT_DIMENSIONS}
        rows.append({**_school(scope, cell.school_id), "stage": cell.stage, "people": cell.people,
                     "evaluations": cell.evaluations, **means})
    return _order(rows, "stage")


def cpd_requests(session: Session, scope: Scope, year: int) -> list[Row]:
    """Per school, the requests waiting for a decision and those declined: requests, people, the
    cost asked. Approved ones are not shown: each is a CPD activity, which the CPD reports show
    and blank; shown here as well, a school's approved figures subtracted from its activities'
    would give those of the activities recorded some other way, a group no threshold checks."""
    rows = [{**_school(scope, cell.school_id), "status": cell.status, "people": cell.people,
             "requests": cell.requests, "cost_asked": float(cell.cost_asked)}
            for cell in _cells(session, cpd_request_cells, scope, year) if cell.status in SHOWN_STATUSES]
    return _order(rows, "status")


def _staff(session: Session, scope: Scope, year: int) -> dict[str, int]:
    """People employed at some point of the year, per school and across the trust."""
    starts, ends = bounds(year)
    e = dir_employments.c
    during = and_(e.trust_id == scope.trust_id, e.starts_on <= ends, or_(e.ends_on.is_(None), e.ends_on >= starts))
    counts = dict(session.execute(select(e.school_id, func.count(e.person_id.distinct()))
                                  .where(during).group_by(e.school_id)).all())
    if scope.whole_trust:
        counts[ALL_SCHOOLS] = session.execute(select(func.count(e.person_id.distinct())).where(during)).scalar()
    return counts


def participation(session: Session, scope: Scope, year: int) -> list[Row]:
    """Per school: staff in the year, how many were observed (reportable records) and how many
    recorded CPD, with the shares: where support has not reached yet."""
    observed = {cell.school_id: cell for cell in _cells(session, obs_school_cells, scope, year)}
    learning = {cell.school_id: cell.people for cell in _cells(session, cpd_school_cells, scope, year)}
    staff = _staff(session, scope, year)
    rows = []
    for school_id in scope.cell_schools():
        seen = observed.get(school_id)
        staff_count, observed_people = staff.get(school_id, 0), seen.people if seen else 0
        cpd_people = learning.get(school_id, 0)
        if not (staff_count or observed_people or cpd_people):
            continue
        rows.append({**_school(scope, school_id), "staff": staff_count, "people": staff_count,
                     "observed": observed_people, "observed_share": _ratio(observed_people, staff_count),
                     "records": seen.records if seen else 0,
                     "open_action_steps": seen.open_action_steps if seen else 0,
                     "with_cpd": cpd_people, "cpd_share": _ratio(cpd_people, staff_count)})
    return _order(rows)


def trust_schools(session: Session, trust_id: str) -> dict[str, School]:
    """Every school of the trust, as the directory knows it."""
    query = select(dir_schools.c.school_id, dir_schools.c.name, dir_schools.c.phase).where(
        dir_schools.c.trust_id == trust_id)
    return {row.school_id: School(*row) for row in session.execute(query)}


def report_rows(session: Session, scope: Scope, year: int, threshold: int, *,
                read: Callable[[Session, Scope, int], list[Row]], sources: Mapping[str, Collection[str]],
                dimension: str | None) -> list[Row]:
    """A report's rows for this scope (``read`` is one of the reports above, ``sources`` the
    rollups its figures come from): worked out and blanked for the whole trust, whoever asks, then
    narrowed to the scope, so that every filter only selects rows of one suppressed table."""
    rows = read(session, scope.population(), year)
    hidden = disclosure.hidden(session, scope.trust_id, year, threshold, sources)
    shown = set(scope.cell_schools())
    return [row for row in suppress(rows, hidden, sources, dimension) if row["school_id"] in shown]

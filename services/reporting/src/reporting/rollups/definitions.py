"""The six rollups behind the standard dashboards, each defined once in Python and in SQL.

Observation rollups count what ``reporting.domain.observations`` says reports count: reportable
records that have left draft, and their ratings as strengths and things to develop. CPD requests
count from their submission, per status (``reporting.domain.requests``). The SQL says the same as
the rules (a test keeps the two in agreement).
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, case, func, literal

from reporting.domain.observations import (
    DEVELOPING_BELOW, DRAFT, REPORTABLE, STRONG_FROM, counts_in_reports, is_strength, needs_development,
)
from reporting.domain.requests import APPROVED, counts_in_reports as request_counts
from reporting.rollups.engine import Rollup
from reporting.tables import (
    cpd_activities, cpd_evaluations, cpd_request_cells, cpd_requests, cpd_school_cells, cpd_type_cells,
    impact_cells, obs_principle_cells, obs_ratings, obs_records, obs_school_cells,
)

IMPACT_DIMENSIONS = ("reaction", "learning", "use_in_practice", "pupil_outcomes")


def counted_record(fact) -> bool:
    return counts_in_reports(fact["privacy"], fact["status"])


def _flag(condition):
    return case((condition, 1), else_=0)


OBS_SCHOOL = Rollup(
    name="obs_school", cells=obs_school_cells, facts=obs_records, dimension=None, person="observee_id",
    counts=counted_record,
    counts_sql=lambda t: and_(t.c.privacy == REPORTABLE, t.c.status != DRAFT),
    measure=lambda f: {"records": 1, "open_action_steps": f["open_action_steps"]},
    measure_sql=lambda t: {"records": literal(1), "open_action_steps": t.c.open_action_steps},
)

OBS_PRINCIPLE = Rollup(
    name="obs_principle", cells=obs_principle_cells, facts=obs_ratings, dimension="principle_id",
    measure=lambda f: {"ratings": 1, "score_total": f["normalised"], "strong": int(is_strength(f["normalised"])),
                       "developing": int(needs_development(f["normalised"]))},
    measure_sql=lambda t: {"ratings": literal(1), "score_total": t.c.normalised,
                           "strong": _flag(t.c.normalised >= STRONG_FROM),
                           "developing": _flag(t.c.normalised < DEVELOPING_BELOW)},
)

CPD_SCHOOL = Rollup(
    name="cpd_school", cells=cpd_school_cells, facts=cpd_activities, dimension=None,
    measure=lambda f: {"activities": 1, "hours": Decimal(f["hours"]), "cost": Decimal(f["cost"]),
                       "cover": int(bool(f["cover_needed"])), "external": int(f["delivery"] == "external")},
    measure_sql=lambda t: {"activities": literal(1), "hours": t.c.hours, "cost": t.c.cost,
                           "cover": _flag(t.c.cover_needed.is_(True)), "external": _flag(t.c.delivery == "external")},
)

CPD_TYPE = Rollup(
    name="cpd_type", cells=cpd_type_cells, facts=cpd_activities, dimension="activity_type",
    measure=lambda f: {"activities": 1, "hours": Decimal(f["hours"]), "cost": Decimal(f["cost"])},
    measure_sql=lambda t: {"activities": literal(1), "hours": t.c.hours, "cost": t.c.cost},
)


def _impact(fact) -> dict:
    adds = {"evaluations": 1}
    for dimension in IMPACT_DIMENSIONS:
        value = fact[dimension]
        adds[f"{dimension}_total"] = value or 0
        adds[f"{dimension}_n"] = int(value is not None)
    return adds


def _impact_sql(t) -> dict:
    adds = {"evaluations": literal(1)}
    for dimension in IMPACT_DIMENSIONS:
        adds[f"{dimension}_total"] = func.coalesce(t.c[dimension], 0)
        adds[f"{dimension}_n"] = _flag(t.c[dimension].is_not(None))
    return adds


IMPACT = Rollup(name="impact", cells=impact_cells, facts=cpd_evaluations, dimension="stage",
                measure=_impact, measure_sql=_impact_sql)

# The cost approved is the cost the decision was on; a request not approved adds nothing to it.
CPD_REQUEST = Rollup(
    name="cpd_request", cells=cpd_request_cells, facts=cpd_requests, dimension="status",
    counts=lambda f: request_counts(f["starts_on"]),
    counts_sql=lambda t: t.c.starts_on.is_not(None),
    measure=lambda f: {"requests": 1, "cost_asked": Decimal(f["cost_asked"]),
                       "cost_approved": Decimal(f["cost_decided"]) if f["status"] == APPROVED else Decimal(0)},
    measure_sql=lambda t: {"requests": literal(1), "cost_asked": t.c.cost_asked,
                           "cost_approved": case((t.c.status == APPROVED, t.c.cost_decided), else_=0)},
)

ALL = (OBS_SCHOOL, OBS_PRINCIPLE, CPD_SCHOOL, CPD_TYPE, IMPACT, CPD_REQUEST)
BY_FACTS = {table.name: tuple(r for r in ALL if r.facts is table)
            for table in (obs_records, obs_ratings, cpd_activities, cpd_evaluations, cpd_requests)}

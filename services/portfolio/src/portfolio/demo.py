"""A year of CPD for the demo trust: activities, requests, evaluations and a trust programme.

Portfolio knows people only from its directory projection, which its consumer fills from
identity's events; until that has happened this answers ``pending`` and ``canopy up`` asks again.
Loading is deterministic, bulk, and happens once per trust.
"""
from __future__ import annotations

from types import SimpleNamespace

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from canopy_contracts.events.portfolio import ACTIVITY_TYPES
from canopy_kit.projections.directory_tables import dir_employments, dir_people, dir_role_grants
from canopy_kit.service import Runtime
from portfolio.tables import activities, cpd_requests, evaluations
from portfolio.commands.activities import activity_payload, activity_rows
from portfolio.commands.common import new_id, now
from portfolio.commands.programme import publish_course
from portfolio.commands.requests import approved_activity_fields

YEAR_START, YEAR_END = date(2024, 9, 2), date(2025, 7, 18)
TITLES = {
    "course": ["Reading fluency in KS2", "Teaching for mastery in maths", "Adaptive teaching for SEND"],
    "conference": ["ResearchED national conference", "Trust literacy conference"],
    "qualification": ["NPQ for Leading Teaching", "NPQ for Senior Leadership"],
    "inset": ["INSET: behaviour and routines", "INSET: retrieval practice"],
    "trust_programme": ["Coaching for middle leaders", "Early career teacher network"],
    "coaching": ["Instructional coaching cycle"], "peer_observation": ["Peer observation: questioning"],
    "reading": ["Reading: Rosenshine's principles"], "online": ["Online: disadvantaged pupils' attainment"],
    "other": ["Subject network meeting"],
}
STANDARDS = ["TS1", "TS2", "TS3", "TS4", "TS5", "TS6", "TS7", "TS8d"]



def _staff(session) -> tuple[str | None, list]:
    trust_id = session.execute(select(dir_people.c.trust_id).limit(1)).scalar()
    if trust_id is None:
        return None, []
    rows = session.execute(
        select(dir_employments.c.person_id, dir_employments.c.school_id, dir_employments.c.starts_on,
               dir_employments.c.ends_on).where(dir_employments.c.trust_id == trust_id)
        .order_by(dir_employments.c.person_id, dir_employments.c.starts_on)).all()
    return trust_id, rows


def _day_within(rng: random.Random, start: date, end: date) -> date | None:
    start, end = max(start, YEAR_START), min(end or YEAR_END, YEAR_END)
    return start + timedelta(days=rng.randrange((end - start).days + 1)) if start <= end else None


def load_demo(runtime: Runtime) -> dict:
    rng = random.Random(2026)
    with runtime.uow_factory() as uow:
        session = uow.session
        trust_id, employment_rows = _staff(session)
        if trust_id is None or not employment_rows:
            return {"created": False, "pending": True, "reason": "directory not yet projected"}
        if session.execute(select(func.count()).select_from(activities)
                           .where(activities.c.trust_id == trust_id)).scalar():
            return {"created": False}
        activity_rows_all, evaluation_rows, events = [], [], []
        for person_id, school_id, starts_on, ends_on in employment_rows:
            for _ in range(rng.randint(2, 6)):
                day = _day_within(rng, starts_on, ends_on)
                if day is None:
                    continue
                kind = rng.choice(ACTIVITY_TYPES)
                fields = {"title": rng.choice(TITLES[kind]), "activity_type": kind,
                          "delivery": "internal" if kind in ("inset", "trust_programme", "coaching",
                                                             "peer_observation") else "external",
                          "provider": None, "starts_on": day, "ends_on": day,
                          "hours": Decimal(rng.choice([1, 1.5, 2, 3, 6])),
                          "cost": Decimal(rng.choice([0, 0, 0, 45, 120, 250])), "cover_needed": rng.random() < 0.2,
                          "linked_standards": rng.sample(STANDARDS, 2), "linked_objectives": [],
                          "reflection": None, "school_id": school_id}
                row, evals = activity_rows(session, trust_id=trust_id, person_id=person_id, fields=fields,
                                           source="self")
                for evaluation in evals:  # most people evaluate straight after; fewer follow up
                    evaluation.update(submitted_at=None, reaction=None, learning=None, use_in_practice=None)
                    if rng.random() < (0.75 if evaluation["stage"] == "immediate" else 0.4):
                        evaluation.update(submitted_at=now(), reaction=rng.randint(3, 5), learning=rng.randint(2, 5),
                                          use_in_practice=rng.randint(2, 5) if evaluation["stage"] == "follow_up"
                                          else None)
                activity_rows_all.append(row)
                evaluation_rows.extend(evals)
                events.append(("portfolio.cpd.recorded", activity_payload(SimpleNamespace(**row)),
                               {"trust_id": trust_id, "school_id": school_id}))
        requests = _requests(rng, trust_id, employment_rows)
        for request in requests:  # an approved request is an activity in the portfolio
            if request["status"] == "approved":
                row, evals = activity_rows(session, trust_id=trust_id, person_id=request["person_id"],
                                           fields=approved_activity_fields(request), source="request")
                request["activity_id"] = row["id"]
                activity_rows_all.append(row)
                evaluation_rows.extend({**e, "submitted_at": None, "reaction": None, "learning": None,
                                        "use_in_practice": None} for e in evals)
                events.append(("portfolio.cpd.recorded", activity_payload(SimpleNamespace(**row)),
                               {"trust_id": trust_id, "school_id": row["school_id"]}))
        session.execute(insert(activities), activity_rows_all)
        session.execute(insert(evaluations), evaluation_rows)
        session.execute(insert(cpd_requests), requests)
        uow.publish_many(events)
        leader = session.execute(select(dir_role_grants.c.person_id).where(
            dir_role_grants.c.role == "trust_leader")).scalar() or employment_rows[0][0]
        for title in ("Coaching for middle leaders", "Early career teacher network", "Leading literacy"):
            publish_course(uow, trust_id=trust_id, actor_id=leader, sessions=[
                {"held_on": date(2025, month, 12), "location": "Trust hub", "places": 30} for month in (10, 1, 4)],
                fields={"title": title, "description": "", "activity_type": "trust_programme", "hours": 3,
                        "linked_standards": ["TS8d"]})
        uow.commit()
    return {"created": True, "activities": len(activity_rows_all), "evaluations": len(evaluation_rows),
            "requests": len(requests)}


def _requests(rng: random.Random, trust_id: str, employment_rows) -> list[dict]:
    rows = []
    for person_id, school_id, starts_on, ends_on in rng.sample(employment_rows, min(300, len(employment_rows))):
        day = _day_within(rng, starts_on, ends_on)
        if day is None:
            continue
        status = rng.choices(["approved", "declined", "pending"], [7, 2, 1])[0]
        rows.append({"id": new_id(), "trust_id": trust_id, "person_id": person_id, "school_id": school_id,
                     "title": rng.choice(TITLES["course"] + TITLES["conference"]), "activity_type": "course",
                     "provider": "External provider", "starts_on": day, "ends_on": day, "hours": Decimal(6),
                     "cost": Decimal(rng.choice([60, 120, 250, 400])), "cover_needed": rng.random() < 0.5,
                     "reason": "Linked to my objectives", "status": status, "created_at": now(),
                     "decided_at": now() if status != "pending" else None, "activity_id": None})
    return rows

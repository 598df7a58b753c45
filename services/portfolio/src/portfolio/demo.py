"""A year of CPD for the demo trust: activities, evaluations, requests and their decisions, and a
trust programme, all written through the same commands the API calls, so that every record has
its events and reporting counts everything the demo wrote.

Portfolio knows people only from its directory projection, which its consumer fills from
identity's events. The year needs exactly this of it: every person of the trust there with their
place (identity sends a person first, their employment or role after) and someone who decides CPD
requests at each school with staff. Until all of that has arrived this writes nothing and answers
``pending`` with what it waits for; ``canopy up`` asks again once the events so far are delivered.
Loading is deterministic for a given directory, happens in one transaction, and once per trust.
"""
from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from canopy_contracts.events.portfolio import ACTIVITY_TYPES
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.db.tables import dir_employments, dir_people, dir_role_grants
from canopy_kit.projections.directory import people_without_a_place
from canopy_kit.service import Runtime
from portfolio.commands.activities import record_activities
from portfolio.commands.evaluations import submit
from portfolio.commands.programme import publish_course
from portfolio.commands.requests import decide, submit_request
from portfolio.domain.requests import DECIDING_ROLES, RoleAt
from portfolio.tables import activities, evaluations

# The demo's year: the 39 school weeks up to yesterday, like observation's drop-ins, so that the
# dashboards' default year (the current one) has CPD in it, and the year before some too.
YEAR_WEEKS = 39
ASKED_AHEAD = timedelta(days=21)  # a request is made three weeks before the activity
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
INTERNAL = ("inset", "trust_programme", "coaching", "peer_observation")


def _staff(session) -> tuple[str | None, list]:
    trust_id = session.execute(select(dir_people.c.trust_id).limit(1)).scalar()
    if trust_id is None:
        return None, []
    rows = session.execute(
        select(dir_employments.c.person_id, dir_employments.c.school_id, dir_employments.c.starts_on,
               dir_employments.c.ends_on).where(dir_employments.c.trust_id == trust_id)
        .order_by(dir_employments.c.person_id, dir_employments.c.starts_on)).all()
    return trust_id, rows


def _demo_year(today: date) -> tuple[date, date]:
    last = today - timedelta(days=1)
    return last - timedelta(weeks=YEAR_WEEKS), last


def _day_within(rng: random.Random, start: date, end: date | None, year: tuple[date, date]) -> date | None:
    start, end = max(start, year[0]), min(end or year[1], year[1])
    return start + timedelta(days=rng.randrange((end - start).days + 1)) if start <= end else None


def load_demo(runtime: Runtime, today: date | None = None) -> dict:
    rng, started, today = random.Random(2026), time.monotonic(), today or date.today()
    year = _demo_year(today)
    with runtime.uow_factory() as uow:
        trust_id, employment_rows = _staff(uow.session)
        if trust_id is not None and uow.session.execute(select(func.count()).select_from(activities)
                                                        .where(activities.c.trust_id == trust_id)).scalar():
            return {"created": False}
        waiting = "the directory is not yet projected" if not employment_rows else waiting_for(uow, trust_id)
        if waiting:
            return {"created": False, "pending": True, "reason": waiting}
        recorded = _record_the_year(uow, rng, trust_id, employment_rows, year)
        evaluated = _evaluate(uow, rng, trust_id, recorded, today)
        requests, decided = _ask_and_decide(uow, rng, trust_id, employment_rows, year)
        _publish_programme(uow, trust_id, employment_rows, today)
        uow.commit()
    return {"created": True, "activities": len(recorded) + decided["approved"], "evaluations_submitted": evaluated,
            "requests": requests, "decisions": dict(decided), "seconds": round(time.monotonic() - started, 2)}


def waiting_for(uow: UnitOfWork, trust_id: str) -> str | None:
    """What the year still needs from identity's events, or None once all of it is there."""
    waiting, total = people_without_a_place(uow.session, trust_id)
    if waiting:
        return f"employments and roles not yet projected for {waiting} of {total} people"
    staffed = set(uow.session.execute(select(dir_employments.c.school_id).distinct()
                                      .where(dir_employments.c.trust_id == trust_id)).scalars())
    undecided = staffed - set(_deciders(uow, trust_id))
    if undecided:
        return f"no one who decides CPD requests projected yet at {len(undecided)} of {len(staffed)} schools"
    return None


def _record_the_year(uow: UnitOfWork, rng: random.Random, trust_id: str, employment_rows,
                     year: tuple[date, date]) -> list[str]:
    """Two to six activities for each employment, each recorded by its person."""
    recorded = []
    for person_id, school_id, starts_on, ends_on in employment_rows:
        for _ in range(rng.randint(2, 6)):
            day = _day_within(rng, starts_on, ends_on, year)
            if day is None:
                continue
            kind = rng.choice(ACTIVITY_TYPES)
            fields = {"title": rng.choice(TITLES[kind]), "activity_type": kind,
                      "delivery": "internal" if kind in INTERNAL else "external",
                      "provider": None, "starts_on": day, "ends_on": day,
                      "hours": Decimal(rng.choice([1, 1.5, 2, 3, 6])),
                      "cost": Decimal(rng.choice([0, 0, 0, 45, 120, 250])), "cover_needed": rng.random() < 0.2,
                      "linked_standards": rng.sample(STANDARDS, 2), "linked_objectives": [],
                      "reflection": None, "school_id": school_id}
            recorded += record_activities(uow, trust_id=trust_id, person_ids=[person_id], fields=fields,
                                          source="self", actor_id=person_id)
    return recorded


def _evaluate(uow: UnitOfWork, rng: random.Random, trust_id: str, activity_ids: list[str], today: date) -> int:
    """Most people evaluate straight after; fewer follow up, once the follow-up is due. Returns
    how many were submitted."""
    order = {activity_id: n for n, activity_id in enumerate(activity_ids)}
    rows = [e for e in uow.session.execute(select(evaluations.c.id, evaluations.c.activity_id,
                                                  evaluations.c.person_id, evaluations.c.stage)
                                           .where(evaluations.c.trust_id == trust_id, evaluations.c.due_on <= today))
            if e.activity_id in order]
    rows.sort(key=lambda e: (order[e.activity_id], e.stage != "immediate"))  # the order they were recorded in
    submitted = 0
    for evaluation in rows:
        follow_up = evaluation.stage == "follow_up"
        if rng.random() < (0.4 if follow_up else 0.75):
            submit(uow, trust_id=trust_id, person_id=evaluation.person_id, evaluation_id=evaluation.id, answers={
                "reaction": rng.randint(3, 5), "learning": rng.randint(2, 5),
                "use_in_practice": rng.randint(2, 5) if follow_up else None})
            submitted += 1
    return submitted


def _deciders(uow: UnitOfWork, trust_id: str) -> dict[str, list[tuple[str, str]]]:
    """For each school, ``(person, role)`` of those who decide its CPD requests."""
    rows = uow.session.execute(
        select(dir_role_grants.c.scope_id, dir_role_grants.c.person_id, dir_role_grants.c.role)
        .where(dir_role_grants.c.trust_id == trust_id, dir_role_grants.c.scope_type == "school",
               dir_role_grants.c.role.in_(DECIDING_ROLES), dir_role_grants.c.valid_to.is_(None))
        .order_by(dir_role_grants.c.scope_id, dir_role_grants.c.role, dir_role_grants.c.person_id)).all()
    found = defaultdict(list)
    for school_id, person_id, role in rows:
        found[school_id].append((person_id, role))
    return found


def _ask_and_decide(uow: UnitOfWork, rng: random.Random, trust_id: str, employment_rows,
                    year: tuple[date, date]) -> tuple[int, dict]:
    """Requests from up to 300 people, asked three weeks ahead; each school's first decider (never
    the requester) approves most, declines some and leaves a few pending."""
    deciders, asked, by_decider = _deciders(uow, trust_id), 0, defaultdict(list)
    decided = defaultdict(int)
    for person_id, school_id, starts_on, ends_on in rng.sample(employment_rows, min(300, len(employment_rows))):
        day = _day_within(rng, starts_on, ends_on, year)
        if day is None:
            continue
        request_id = submit_request(uow, trust_id=trust_id, person_id=person_id, today=day - ASKED_AHEAD, fields={
            "title": rng.choice(TITLES["course"] + TITLES["conference"]), "activity_type": "course",
            "provider": "External provider", "school_id": school_id, "starts_on": day, "ends_on": day,
            "hours": Decimal(6), "cost": Decimal(rng.choice([60, 120, 250, 400])),
            "cover_needed": rng.random() < 0.5, "reason": "Linked to my objectives"})
        asked += 1
        decision = rng.choices(["approved", "declined", "pending"], [7, 2, 1])[0]
        decider = next((d for d in deciders.get(school_id, []) if d[0] != person_id), None)
        if decision == "pending" or decider is None:
            decided["pending"] += 1
            continue
        by_decider[(decider, school_id)].append({"request_id": request_id, "decision": decision})
        decided[decision] += 1
    for ((decider_id, role), school_id), decisions in by_decider.items():
        decide(uow, trust_id=trust_id, decider_id=decider_id, decider_roles=[RoleAt(role, frozenset({school_id}))],
               decisions=decisions)
    return asked, decided


def _publish_programme(uow: UnitOfWork, trust_id: str, employment_rows, today: date) -> None:
    """The trust's next courses, each with three sessions in the coming months."""
    leader = uow.session.execute(select(dir_role_grants.c.person_id).where(
        dir_role_grants.c.trust_id == trust_id, dir_role_grants.c.role == "trust_leader")).scalar() \
        or employment_rows[0][0]
    for title in ("Coaching for middle leaders", "Early career teacher network", "Leading literacy"):
        publish_course(uow, trust_id=trust_id, actor_id=leader, sessions=[
            {"held_on": today + timedelta(days=days), "location": "Trust hub", "places": 30} for days in (30, 90, 150)],
            fields={"title": title, "description": "", "activity_type": "trust_programme", "hours": 3,
                    "linked_standards": ["TS8d"]})

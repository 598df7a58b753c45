"""Demo data for the demo trust: its principles, two published forms, and a year of drop-ins.

People and schools come from this service's own directory projection (filled from identity's
events): observation cannot read identity's database and identity's ids are random. The drop-ins
need exactly this of it: every person of the trust there with their place (an employment or a
role: identity sends a person first and their place after), teachers employed today, and someone
holding an observer role at each of their schools. Until all of that has arrived the loader writes
nothing and answers ``pending`` with what it waits for; the kit asks again once the events so far
are delivered (``canopy_kit.embedded``). Each step runs only if it has not run before, so the
loader is idempotent and cheap when there is nothing to do.

Every record is written through the commands the API calls, so each has the events a real one
has (recorded, shared, acknowledged, its action step completed) and reporting counts all of them.

Only a trust whose staff emails are on ``example.org`` (reserved for examples) is filled, so a real
trust never receives invented drop-ins.
"""
from __future__ import annotations

import random
import time
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from canopy_kit.db.tables import dir_employments, dir_people, dir_role_grants
from canopy_kit.projections.directory import people_without_a_place
from canopy_kit.service import Runtime
from observation import commands, queries
from observation.demo_data import (
    DROP_IN, LEARNING_WALK, PRINCIPLES, PRINCIPLES_KEY, PRINCIPLES_NAME, drop_in_form, learning_walk_form,
)
from observation.domain import forms
from observation.tables import from_json, records, templates

OBSERVERS = ("headteacher", "senior_leader", "line_manager", "coach")
WEEKS = 39  # a school year
# A drop-in for every teacher every third week, a second one some of those weeks: about eighteen a
# year each, what a school's developmental programme runs, and enough reportable ones for every
# principle and school to clear suppression. Each record goes through the commands with its
# events (recorded, shared, acknowledged, steps done), which reporting then consumes: a weekly
# visit made the embedded demo take minutes to reach the dashboards.
VISIT_EVERY_WEEKS = 3
SECOND_VISIT = 0.4
REPORTABLE_SHARE = 0.35


def _demo_trust(session: Session) -> str | None:
    return session.execute(select(dir_people.c.trust_id).where(dir_people.c.email.like("%.example.org"))
                           .group_by(dir_people.c.trust_id).order_by(func.count().desc()).limit(1)).scalar()


def _staff(session: Session, trust_id: str, today: date):
    """(teacher, school) of every teaching employment today, and each school's observers."""
    current = (dir_employments.c.starts_on <= today) & (
        dir_employments.c.ends_on.is_(None) | (dir_employments.c.ends_on >= today))
    teachers = session.execute(select(dir_employments.c.person_id, dir_employments.c.school_id).where(
        dir_employments.c.trust_id == trust_id, dir_employments.c.staff_category == "teaching", current)
        .order_by(dir_employments.c.person_id, dir_employments.c.school_id)).all()
    observers: dict[str, list[str]] = {}
    for person_id, school_id in session.execute(
            select(dir_role_grants.c.person_id, dir_role_grants.c.scope_id).where(
                dir_role_grants.c.trust_id == trust_id, dir_role_grants.c.role.in_(OBSERVERS),
                dir_role_grants.c.scope_type == "school", dir_role_grants.c.valid_to.is_(None))
            .order_by(dir_role_grants.c.person_id)):
        observers.setdefault(school_id, []).append(person_id)
    return teachers, observers


def waiting_for(session: Session, trust_id: str, today: date) -> str | None:
    """What the drop-ins still need from identity's events, or None once all of it is there."""
    waiting, total = people_without_a_place(session, trust_id)
    if waiting:
        return f"employments and roles not yet projected for {waiting} of {total} people"
    teachers, observers = _staff(session, trust_id, today)
    if not teachers:
        return "no teacher employed today is projected yet"
    schools = {school_id for _, school_id in teachers}
    unobserved = schools - set(observers)
    if unobserved:
        return f"observer roles not yet projected at {len(unobserved)} of {len(schools)} schools"
    return None


def _principles(uow, trust_id: str, actor_id: str) -> dict[str, str]:
    framework_id = queries.framework_id_by_key(uow.session, trust_id, PRINCIPLES_KEY)
    if framework_id is None:
        framework_id = commands.create_framework(
            uow, trust_id=trust_id, key=PRINCIPLES_KEY, name=PRINCIPLES_NAME, publish=True, actor_id=actor_id,
            items=[{"code": code, "title": title} for code, title in PRINCIPLES])
    return queries.principle_ids_by_code(uow.session, framework_id)


def _form(uow, trust_id: str, name: str, definition: dict, actor_id: str):
    template_id = uow.session.execute(select(templates.c.id).where(
        templates.c.trust_id == trust_id, templates.c.name == name)).scalar()
    if template_id is None:
        template_id = commands.create_template(uow, trust_id=trust_id, name=name, owner_school_id=None,
                                               shared_with=None, definition=definition, actor_id=actor_id)
        commands.publish_template(uow, trust_id=trust_id, template_id=template_id, actor_id=actor_id)
    return queries.latest_template_version(uow.session, template_id)


def _drop_in(uow, trust_id: str, *, observer_id: str, observee_id: str, school_id: str, observed_on: date,
             responses: dict, reportable: bool, version_id: str, step_done: bool, acknowledged: bool) -> None:
    """One drop-in as its people would make it, each step its own command. Its action step is
    completed before it is shared: reporting keeps a record's open steps from its latest event."""
    record_id = commands.create_record(uow, trust_id=trust_id, observer_id=observer_id, school_id=school_id, body={
        "kind": "drop_in", "observee_id": observee_id, "observed_on": observed_on, "template_version_id": version_id,
        "privacy": "reportable" if reportable else "developmental", "responses": responses,
        "action_steps": [{"text": "Try a hinge question before independent practice.",
                          "due_on": observed_on + timedelta(days=14)}]})
    if step_done:
        for step_id in queries.open_action_step_ids(uow.session, record_id):
            commands.complete_action_step(uow, trust_id=trust_id, step_id=step_id, actor_id=observer_id,
                                          on=observed_on + timedelta(days=14))
    commands.share_record(uow, trust_id=trust_id, record_id=record_id, actor_id=observer_id)
    if acknowledged:
        commands.acknowledge(uow, trust_id=trust_id, record_id=record_id, actor_id=observee_id, response=None)


def _year_of_drop_ins(uow, trust_id: str, version, today: date) -> int:
    rated = [item for item in forms.items(from_json(version.definition)) if item["kind"] == "rating"]
    teachers, observers = _staff(uow.session, trust_id, today)
    rng = random.Random(2026)
    made = 0
    for person_id, school_id in teachers:
        coaches = [o for o in observers.get(school_id, []) if o != person_id]
        if not coaches:
            continue
        skill = {item["id"]: rng.uniform(1.2, 4.2) for item in rated}
        visits = [week for week in range(0, WEEKS, VISIT_EVERY_WEEKS)
                  for _ in range(1 + (rng.random() < SECOND_VISIT))]
        for week in visits:
            observed_on = today - timedelta(days=7 * (WEEKS - week) - rng.randrange(5))
            responses = {item["id"]: max(1, min(4, round(skill[item["id"]] + rng.gauss(0, 0.5))))
                         for item in rng.sample(rated, 3)}
            responses["went_well"] = "Clear routines; pupils answered in full sentences."
            reportable = rng.random() < REPORTABLE_SHARE
            acknowledged = (today - observed_on).days > 14 and rng.random() < 0.85
            observer_id = rng.choice(coaches)
            step_done = (today - observed_on).days > 28 and rng.random() < 0.7
            _drop_in(uow, trust_id, observer_id=observer_id, observee_id=person_id, school_id=school_id,
                     observed_on=observed_on, responses=responses, reportable=reportable, version_id=version.id,
                     step_done=step_done, acknowledged=acknowledged)
            made += 1
    return made


def load_demo(runtime: Runtime, today: date | None = None) -> dict:
    started, today = time.perf_counter(), today or date.today()
    with runtime.uow_factory() as uow:
        trust_id = _demo_trust(uow.session)
        if trust_id is None:
            return {"created": False, "pending": True, "reason": "directory not yet projected"}
        existing = uow.session.execute(select(func.count()).select_from(records)
                                       .where(records.c.trust_id == trust_id)).scalar_one()
        missing = None if existing else waiting_for(uow.session, trust_id, today)
        if missing:
            return {"created": False, "pending": True, "reason": missing, "trust_id": trust_id}
        actor_id = uow.session.execute(select(dir_role_grants.c.person_id).where(
            dir_role_grants.c.trust_id == trust_id, dir_role_grants.c.role == "trust_admin")
            .order_by(dir_role_grants.c.person_id).limit(1)).scalar() or trust_id
        commands.ensure_national_frameworks(uow, trust_id)
        principle_ids = _principles(uow, trust_id, actor_id)
        drop_in = _form(uow, trust_id, DROP_IN, drop_in_form(principle_ids), actor_id)
        _form(uow, trust_id, LEARNING_WALK, learning_walk_form(principle_ids), actor_id)
        created = 0 if existing else _year_of_drop_ins(uow, trust_id, drop_in, today)
        uow.commit()
    return {"created": created > 0, "trust_id": trust_id, "records": created or existing,
            "seconds": round(time.perf_counter() - started, 2)}

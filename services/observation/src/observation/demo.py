"""Demo data for the demo trust: its principles, two published forms, and a year of drop-ins.

People and schools come from this service's own directory projection (filled from identity's
events): observation cannot read identity's database and identity's ids are random. ``make up``
loads demo data before the consumers run, so on a first start the projection is empty and this
returns at once; ``canopy observation demo`` fills the year once the projection is there. Each step
runs only if it has not run before, so the loader is idempotent and cheap when there is nothing to do.

Only a trust whose staff emails are on ``example.org`` (reserved for examples) is filled, so a real
trust never receives invented drop-ins.
"""
from __future__ import annotations

import random
import time
from datetime import date, datetime, time as clock, timedelta, timezone

from sqlalchemy import func, insert, select

from canopy_kit.projections.directory_tables import dir_employments, dir_people, dir_role_grants
from canopy_kit.service import Runtime
from observation import handlers
from observation.db import action_steps, framework_items, frameworks, record_ratings, records, templates
from observation.demo_data import (
    DROP_IN, LEARNING_WALK, PRINCIPLES, PRINCIPLES_KEY, PRINCIPLES_NAME, drop_in_form, learning_walk_form,
)
from observation.domain import forms
from observation.handlers.common import from_json, new_id, to_json
from observation.handlers.records import rating_rows
from observation.handlers.templates import latest_version

OBSERVERS = ("headteacher", "senior_leader", "line_manager", "coach")
WEEKS = 39  # a school year: a drop-in for every teacher every week, a second one some weeks
SECOND_VISIT = 0.4
REPORTABLE_SHARE = 0.35


def _demo_trust(session) -> str | None:
    return session.execute(select(dir_people.c.trust_id).where(dir_people.c.email.like("%.example.org"))
                           .group_by(dir_people.c.trust_id).order_by(func.count().desc()).limit(1)).scalar()


def _principles(uow, trust_id: str, actor_id: str) -> dict[str, str]:
    framework_id = uow.session.execute(select(frameworks.c.id).where(
        frameworks.c.trust_id == trust_id, frameworks.c.key == PRINCIPLES_KEY)).scalar()
    if framework_id is None:
        framework_id = handlers.create_framework(
            uow, trust_id=trust_id, key=PRINCIPLES_KEY, name=PRINCIPLES_NAME, publish=True, actor_id=actor_id,
            items=[{"code": code, "title": title} for code, title in PRINCIPLES])
    return dict(uow.session.execute(select(framework_items.c.code, framework_items.c.item_id)
                                    .where(framework_items.c.framework_id == framework_id)).all())


def _form(uow, trust_id: str, name: str, definition: dict, actor_id: str):
    template_id = uow.session.execute(select(templates.c.id).where(
        templates.c.trust_id == trust_id, templates.c.name == name)).scalar()
    if template_id is None:
        template_id = handlers.create_template(uow, trust_id=trust_id, name=name, owner_school_id=None,
                                               shared_with=None, definition=definition, actor_id=actor_id)
        handlers.publish_template(uow, trust_id=trust_id, template_id=template_id, actor_id=actor_id)
    return latest_version(uow, template_id)


def _staff(session, trust_id: str, today: date):
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


def _year_of_drop_ins(uow, trust_id: str, version, today: date) -> int:
    """Bulk inserts (records, ratings, action steps) and one event per record: its latest state."""
    definition = from_json(version.definition)
    teachers, observers = _staff(uow.session, trust_id, today)
    rng = random.Random(2026)
    rated = [item for item in forms.items(definition) if item["kind"] == "rating"]
    rows, ratings, steps, events = [], [], [], []
    for person_id, school_id in teachers:
        coaches = [o for o in observers.get(school_id, []) if o != person_id]
        if not coaches:
            continue
        skill = {item["id"]: rng.uniform(1.2, 4.2) for item in rated}
        visits = [week for week in range(WEEKS) for _ in range(1 + (rng.random() < SECOND_VISIT))]
        for week in visits:
            observed_on = today - timedelta(days=7 * (WEEKS - week) - rng.randrange(5))
            responses = {item["id"]: max(1, min(4, round(skill[item["id"]] + rng.gauss(0, 0.5))))
                         for item in rng.sample(rated, 3)}
            responses["went_well"] = "Clear routines; pupils answered in full sentences."
            record_id, reportable = new_id(), rng.random() < REPORTABLE_SHARE
            acknowledged = (today - observed_on).days > 14 and rng.random() < 0.85
            stamp = datetime.combine(observed_on, clock(15, 30), tzinfo=timezone.utc)
            rows.append({"id": record_id, "trust_id": trust_id, "school_id": school_id, "kind": "drop_in",
                         "observer_id": rng.choice(coaches), "observee_id": person_id, "observed_on": observed_on,
                         "class_name": None, "subject": None, "year_group": None, "template_version_id": version.id,
                         "responses": to_json(responses), "strengths": None,
                         "privacy": "reportable" if reportable else "developmental",
                         "status": "acknowledged" if acknowledged else "shared", "observee_response": None,
                         "follows_up_record_id": None, "row_version": 3 if acknowledged else 2, "created_at": stamp,
                         "shared_at": stamp, "acknowledged_at": stamp + timedelta(days=2) if acknowledged else None})
            ratings += rating_rows(trust_id, record_id, definition, responses)
            done = (today - observed_on).days > 28 and rng.random() < 0.7
            steps.append({"id": new_id(), "trust_id": trust_id, "record_id": record_id,
                          "text": "Try a hinge question before independent practice.",
                          "due_on": observed_on + timedelta(days=14), "status": "completed" if done else "open",
                          "completed_at": stamp + timedelta(days=14) if done else None,
                          "completed_in_record_id": None})
            events.append((rows[-1], responses, 0 if done else 1))
    for table, batch in ((records, rows), (record_ratings, ratings), (action_steps, steps)):
        for start in range(0, len(batch), 5000):
            uow.session.execute(insert(table), batch[start:start + 5000])
    uow.publish_many([_event(row, definition, responses, version, open_steps)
                      for row, responses, open_steps in events])
    return len(rows)


def _event(row: dict, definition: dict, responses: dict, version, open_steps: int):
    reportable = row["privacy"] == "reportable"
    payload = {"record_id": row["id"], "school_id": row["school_id"], "kind": row["kind"],
               "observer_id": row["observer_id"], "observee_id": row["observee_id"],
               "observed_on": row["observed_on"], "template_id": version.template_id,
               "template_version_id": version.id, "template_version": version.version, "privacy": row["privacy"],
               "status": row["status"], "subject": None, "year_group": None, "open_action_steps": open_steps,
               "ratings": forms.ratings(definition, responses) if reportable else []}
    return (f"observation.record.{row['status']}", payload,
            {"trust_id": row["trust_id"], "school_id": row["school_id"], "actor_id": row["observer_id"]})


def load_demo(runtime: Runtime, today: date | None = None) -> dict:
    started, today = time.perf_counter(), today or date.today()
    with runtime.uow_factory() as uow:
        trust_id = _demo_trust(uow.session)
        if trust_id is None:
            return {"created": False, "pending": True, "reason": "directory not yet projected"}
        actor_id = uow.session.execute(select(dir_role_grants.c.person_id).where(
            dir_role_grants.c.trust_id == trust_id, dir_role_grants.c.role == "trust_admin")
            .order_by(dir_role_grants.c.person_id).limit(1)).scalar() or trust_id
        handlers.ensure_national_frameworks(uow, trust_id)
        principle_ids = _principles(uow, trust_id, actor_id)
        drop_in = _form(uow, trust_id, DROP_IN, drop_in_form(principle_ids), actor_id)
        _form(uow, trust_id, LEARNING_WALK, learning_walk_form(principle_ids), actor_id)
        existing = uow.session.execute(select(func.count()).select_from(records)
                                       .where(records.c.trust_id == trust_id)).scalar_one()
        created = 0 if existing else _year_of_drop_ins(uow, trust_id, drop_in, today)
        uow.commit()
    return {"created": created > 0, "trust_id": trust_id, "records": created or existing,
            "seconds": round(time.perf_counter() - started, 2)}

"""Loads the demo trust (``demo_data``) into identity, once: a second run finds it and does nothing.

Only a few demo people get a password (argon2 is deliberately slow); everyone else is ``invited``.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from canopy_kit.service import Runtime
from identity import handlers
from identity.db import people, trusts
from identity.demo_data import DemoTrust, build_demo_trust

DEMO_PASSWORD = "canopy-demo-2026"


def _demo_logins(trust: DemoTrust) -> list[tuple[str, str]]:
    """(person key, who) for the people the README offers as demo logins."""
    by_key = {person.key: person for person in trust.people}
    chosen = [(trust.admin_key, "trust admin")]
    roles = {"trust_leader": "trust leader", "headteacher": "headteacher", "cpd_lead": "CPD lead"}
    for role, who in roles.items():
        person = next(p for p in trust.people if any(r.role == role for r in p.roles) and p.key != trust.admin_key)
        chosen.append((person.key, who))
    teacher = next(p for p in trust.people if p.line_manager_key and p.staff_category == "teaching"
                   and not any(r.role == "line_manager" for r in p.roles))
    chosen.append((teacher.key, "teacher"))
    return [(key, who) for key, who in chosen if key in by_key]


def load_demo(runtime: Runtime) -> dict:
    trust = build_demo_trust()
    logins = _demo_logins(trust)
    emails = {p.key: p.email for p in trust.people}
    result = {"logins": [{"email": emails[key], "password": DEMO_PASSWORD, "who": who} for key, who in logins]}
    with runtime.uow_factory() as uow:
        if uow.session.execute(select(trusts.c.id).where(trusts.c.slug == trust.slug)).first():
            return {**result, "created": False}
        trust_id = handlers.create_trust(uow, name=trust.name, slug=trust.slug)
        school_ids = {school.key: handlers.add_school(uow, trust_id=trust_id, name=school.name, phase=school.phase,
                                                      urn=school.urn) for school in trust.schools}
        with_password = {key for key, _ in logins}
        person_ids = {}
        by_key = {p.key: p for p in trust.people}
        for person in trust.people:
            person_ids[person.key] = handlers.register_person(
                uow, trust_id=trust_id, given_name=person.given_name, family_name=person.family_name,
                email=person.email, password=DEMO_PASSWORD if person.key in with_password else None)
        for index, person in enumerate(trust.people):
            starts_on = date(2016 + index % 9, 9, 1)
            if person.school_key is not None:
                handlers.start_employment(
                    uow, trust_id=trust_id, person_id=person_ids[person.key], school_id=school_ids[person.school_key],
                    job_title=person.job_title, staff_category=person.staff_category, starts_on=starts_on)
            for role in person.roles:
                scope_id = trust_id if role.scope == "trust" else school_ids[role.school_key]
                handlers.grant_role(uow, trust_id=trust_id, person_id=person_ids[person.key], role=role.role,
                                    scope_type=role.scope, scope_id=scope_id, valid_from=starts_on)
        for person in trust.people:
            if person.line_manager_key is None:
                continue
            manager = by_key[person.line_manager_key]
            school_key = person.school_key or manager.school_key
            if school_key is None:
                continue  # central staff are managed outside any school's appraisal
            handlers.assign_line_manager(uow, trust_id=trust_id, person_id=person_ids[person.key],
                                         manager_id=person_ids[manager.key], school_id=school_ids[school_key],
                                         starts_on=date(2025, 9, 1))
        uow.commit()
        count = len(uow.session.execute(select(people.c.id).where(people.c.trust_id == trust_id)).all())
    return {**result, "created": True, "trust": trust.slug, "schools": len(school_ids), "people": count}

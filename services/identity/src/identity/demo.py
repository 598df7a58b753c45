"""Loads the demo trust (``demo_data``) into identity, once: a second run finds it and does nothing.

Only a few demo people get a password (argon2 is deliberately slow); everyone else is ``invited``.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from canopy_kit.service import Runtime
from identity import commands, queries
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
    # The teacher's own line manager: the line-manager journey then reaches an appraisee who can
    # sign in too, and see in their access log who opened their records.
    chosen.append((teacher.line_manager_key, "line manager"))
    return [(key, who) for key, who in chosen if key in by_key]


def load_demo(runtime: Runtime) -> dict:
    trust = build_demo_trust()
    logins = _demo_logins(trust)
    emails = {p.key: p.email for p in trust.people}
    result = {"logins": [{"email": emails[key], "password": DEMO_PASSWORD, "who": who} for key, who in logins]}
    with runtime.uow_factory() as uow:
        if queries.trust_id_of(uow.session, trust.slug) is not None:
            return {**result, "created": False}
        trust_id = commands.create_trust(uow, name=trust.name, slug=trust.slug)
        school_ids = {school.key: commands.add_school(uow, trust_id=trust_id, name=school.name, phase=school.phase,
                                                      urn=school.urn) for school in trust.schools}
        with_password = {key for key, _ in logins}
        person_ids = {}
        by_key = {p.key: p for p in trust.people}
        for person in trust.people:
            person_ids[person.key] = commands.register_person(
                uow, trust_id=trust_id, given_name=person.given_name, family_name=person.family_name,
                email=person.email, password=DEMO_PASSWORD if person.key in with_password else None)
        for index, person in enumerate(trust.people):
            starts_on = date(2016 + index % 9, 9, 1)
            if person.school_key is not None:
                commands.start_employment(
                    uow, trust_id=trust_id, person_id=person_ids[person.key], school_id=school_ids[person.school_key],
                    job_title=person.job_title, staff_category=person.staff_category, starts_on=starts_on)
            for role in person.roles:
                scope_id = trust_id if role.scope == "trust" else school_ids[role.school_key]
                commands.grant_role(uow, trust_id=trust_id, person_id=person_ids[person.key], role=role.role,
                                    scope_type=role.scope, scope_id=scope_id, valid_from=starts_on)
        for person in trust.people:
            if person.line_manager_key is None:
                continue
            manager = by_key[person.line_manager_key]
            school_key = person.school_key or manager.school_key
            if school_key is None:
                continue  # central staff are managed outside any school's appraisal
            commands.assign_line_manager(uow, trust_id=trust_id, person_id=person_ids[person.key],
                                         manager_id=person_ids[manager.key], school_id=school_ids[school_key],
                                         starts_on=date(2025, 9, 1))
        career_moves = _career_moves(uow, trust_id, trust, person_ids, school_ids)
        uow.commit()
        count = queries.people_count(uow.session, trust_id)
    return {**result, "created": True, "trust": trust.slug, "schools": len(school_ids), "people": count,
            **career_moves}


def _career_moves(uow, trust_id: str, trust: DemoTrust, person_ids: dict, school_ids: dict) -> dict:
    """What a real trust's records hold after a few years: people who moved school, a part-timer
    in two schools, and leavers, so that every screen has history to show."""
    managers = {p.line_manager_key for p in trust.people}
    teachers = [p for p in trust.people if p.staff_category == "teaching" and p.school_key
                and p.key not in managers and len(p.roles) <= 1]
    schools = sorted(school_ids)
    moved = teachers[0:24:8]  # three transfers, to the next school in the list
    for person in moved:
        [employment_id] = queries.employment_ids(uow.session, person_ids[person.key])
        target = schools[(schools.index(person.school_key) + 1) % len(schools)]
        commands.transfer(uow, trust_id=trust_id, person_id=person_ids[person.key],
                          from_employment_id=employment_id, to_school_id=school_ids[target],
                          effective_on=date(2025, 9, 1))
    part_timer = commands.register_person(uow, trust_id=trust_id, given_name="Rhiannon", family_name="Pryce",
                                          email=f"r.pryce@{trust.slug}.example.org")
    for school_key, title in ((schools[0], "Music Teacher"), (schools[-1], "Music Teacher")):
        commands.start_employment(uow, trust_id=trust_id, person_id=part_timer, school_id=school_ids[school_key],
                                  job_title=title, staff_category="teaching", fte=Decimal("0.5"),
                                  starts_on=date(2024, 9, 1))
        commands.grant_role(uow, trust_id=trust_id, person_id=part_timer, role="teacher", scope_type="school",
                            scope_id=school_ids[school_key], valid_from=date(2024, 9, 1))
    leavers = teachers[30:33]
    for person in leavers:
        commands.leave(uow, trust_id=trust_id, person_id=person_ids[person.key], last_day=date(2025, 7, 31))
    return {"transfers": len(moved), "part_timers": 1, "leavers": len(leavers)}

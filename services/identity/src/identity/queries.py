"""Reads behind identity's endpoints: the directory as the caller may see it, and one person."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Permissions
from identity.db import employments, line_managers, people, role_grants, schools


def _running(starts, ends, on: date):
    return and_(starts <= on, or_(ends.is_(None), ends >= on))


def visible_people(perms: Permissions, args: dict[str, Any], on: date | None = None) -> Select:
    """People of the caller's trust whom ``staff.read`` lets them see, filtered and by name."""
    today = on or date.today()
    me = perms.principal
    query = select(people.c.id, people.c.given_name, people.c.family_name, people.c.preferred_name,
                   people.c.email, people.c.status).where(people.c.trust_id == me.trust_id)
    schools_seen = perms.schools_for("staff.read")
    if schools_seen is not None:  # not trust-wide: their schools' staff, their appraisees, themselves
        at_their_schools = select(employments.c.person_id).where(
            employments.c.school_id.in_(schools_seen), _running(employments.c.starts_on, employments.c.ends_on, today))
        appraisees = select(line_managers.c.person_id).where(
            line_managers.c.manager_id == me.person_id,
            _running(line_managers.c.starts_on, line_managers.c.ends_on, today))
        query = query.where(or_(people.c.id == me.person_id, people.c.id.in_(at_their_schools),
                                people.c.id.in_(appraisees)))
    if args.get("school_id"):
        query = query.where(people.c.id.in_(select(employments.c.person_id).where(
            employments.c.school_id == args["school_id"],
            _running(employments.c.starts_on, employments.c.ends_on, today))))
    if args.get("role"):
        query = query.where(people.c.id.in_(select(role_grants.c.person_id).where(
            role_grants.c.role == args["role"], _running(role_grants.c.valid_from, role_grants.c.valid_to, today))))
    if args.get("status"):
        query = query.where(people.c.status == args["status"])
    if args.get("q"):
        pattern = f"%{args['q'].lower()}%"
        query = query.where(or_(*(func.lower(column).like(pattern) for column in (
            people.c.given_name, people.c.family_name, people.c.preferred_name, people.c.email))))
    return query.order_by(people.c.family_name, people.c.given_name, people.c.id)


def person_detail(session: Session, person_id: str) -> dict[str, Any]:
    person = session.execute(select(people).where(people.c.id == person_id)).one()
    jobs = session.execute(
        select(employments, schools.c.name.label("school_name"))
        .join(schools, schools.c.id == employments.c.school_id)
        .where(employments.c.person_id == person_id).order_by(employments.c.starts_on)).mappings().all()
    grants = session.execute(select(role_grants).where(role_grants.c.person_id == person_id)
                             .order_by(role_grants.c.valid_from, role_grants.c.role)).mappings().all()
    managers = session.execute(select(line_managers).where(line_managers.c.person_id == person_id)
                               .order_by(line_managers.c.starts_on)).mappings().all()
    return {**{k: person._mapping[k] for k in ("id", "given_name", "family_name", "preferred_name", "email",
                                                 "status")},
            "employments": [dict(j) for j in jobs], "roles": [dict(g) for g in grants],
            "line_managers": [dict(m) for m in managers]}


def appraisees(session: Session, manager_id: str, on: date | None = None) -> Select:
    today = on or date.today()
    return (select(people.c.id, people.c.given_name, people.c.family_name, people.c.preferred_name, people.c.email,
                   people.c.status)
            .join(line_managers, line_managers.c.person_id == people.c.id)
            .where(line_managers.c.manager_id == manager_id,
                   _running(line_managers.c.starts_on, line_managers.c.ends_on, today))
            .distinct().order_by(people.c.family_name, people.c.given_name))

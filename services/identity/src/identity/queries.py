"""Reads behind identity's endpoints and commands: the directory as the caller may see it, one
person, the caller themselves, the trust's schools and groups, the audit log, and the rows a
request names (another trust's are ``NotFound``). A list is a ``Select`` the API pages through."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Permissions
from canopy_kit.auth.principal import Principal
from canopy_kit.db.rows import row_in_trust
from canopy_kit.errors import NotFound
from identity.tables import (
    audit_log, employments, group_schools, line_managers, people, role_grants, school_groups, schools, trusts,
)

PERSON_SUMMARY = (people.c.id, people.c.given_name, people.c.family_name, people.c.preferred_name, people.c.email,
                  people.c.status)


def running(starts, ends, on: date):
    """The period from column ``starts`` to column ``ends`` (open if null) includes ``on``."""
    return and_(starts <= on, or_(ends.is_(None), ends >= on))


def visible_people(perms: Permissions, args: dict[str, Any], on: date | None = None) -> Select:
    """People of the caller's trust whom ``staff.read`` lets them see, filtered and by name."""
    today = on or date.today()
    me = perms.principal
    query = select(*PERSON_SUMMARY).where(people.c.trust_id == me.trust_id)
    schools_seen = perms.schools_for("staff.read")
    if schools_seen is not None:  # not trust-wide: their schools' staff, their appraisees, themselves
        at_their_schools = select(employments.c.person_id).where(
            employments.c.school_id.in_(schools_seen), running(employments.c.starts_on, employments.c.ends_on, today))
        appraisees = select(line_managers.c.person_id).where(
            line_managers.c.manager_id == me.person_id,
            running(line_managers.c.starts_on, line_managers.c.ends_on, today))
        query = query.where(or_(people.c.id == me.person_id, people.c.id.in_(at_their_schools),
                                people.c.id.in_(appraisees)))
    if args.get("school_id") or args.get("staff_category"):
        # One employment running today that matches both, where both are asked: a teacher at one
        # school who is support staff at another is not the first school's support staff.
        jobs = select(employments.c.person_id).where(running(employments.c.starts_on, employments.c.ends_on, today))
        if args.get("school_id"):
            jobs = jobs.where(employments.c.school_id == args["school_id"])
        if args.get("staff_category"):
            jobs = jobs.where(employments.c.staff_category == args["staff_category"])
        query = query.where(people.c.id.in_(jobs))
    if args.get("role"):
        query = query.where(people.c.id.in_(select(role_grants.c.person_id).where(
            role_grants.c.role == args["role"], running(role_grants.c.valid_from, role_grants.c.valid_to, today))))
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


def appraisees(manager_id: str, on: date | None = None) -> Select:
    """The people ``manager_id`` line-manages on that day (today), by name."""
    today = on or date.today()
    return (select(*PERSON_SUMMARY)
            .join(line_managers, line_managers.c.person_id == people.c.id)
            .where(line_managers.c.manager_id == manager_id,
                   running(line_managers.c.starts_on, line_managers.c.ends_on, today))
            .distinct().order_by(people.c.family_name, people.c.given_name))


def me(session: Session, principal: Principal) -> dict[str, Any]:
    """The caller's own record: their trust, employments running today or later, and the grants
    their token carries."""
    person = session.execute(select(people).where(people.c.id == principal.person_id,
                                                  people.c.trust_id == principal.trust_id)).first()
    if person is None:
        raise NotFound("this account no longer exists")
    trust = session.execute(select(trusts).where(trusts.c.id == person.trust_id)).one()
    today = date.today()
    jobs = session.execute(
        select(employments, schools.c.name.label("school_name"))
        .join(schools, schools.c.id == employments.c.school_id)
        .where(employments.c.person_id == person.id,
               or_(employments.c.ends_on.is_(None), employments.c.ends_on >= today))
        .order_by(employments.c.starts_on)
    ).mappings().all()
    return {
        **{k: person._mapping[k] for k in ("given_name", "family_name", "preferred_name", "email", "status")},
        "person_id": person.id,
        "trust": {"id": trust.id, "name": trust.name, "slug": trust.slug},
        "employments": [dict(job) for job in jobs],
        "grants": [grant.to_claim() for grant in principal.grants],
    }


def schools_of(trust_id: str) -> Select:
    """The trust's schools, open and closed, by name."""
    return select(schools).where(schools.c.trust_id == trust_id).order_by(schools.c.name)


def school(session: Session, trust_id: str, school_id: str) -> dict[str, Any]:
    return dict(row_in_trust(session, schools, school_id, trust_id, "school")._mapping)


def _group(session: Session, group_id: str) -> dict[str, Any]:
    row = session.execute(select(school_groups).where(school_groups.c.id == group_id)).one()
    members = session.execute(select(group_schools.c.school_id).where(group_schools.c.group_id == group_id)
                              .order_by(group_schools.c.school_id)).scalars().all()
    return {"id": row.id, "name": row.name, "school_ids": list(members)}


def groups_of(session: Session, trust_id: str) -> list[dict[str, Any]]:
    """The trust's groups of schools, by name, each with its schools."""
    ids = session.execute(select(school_groups.c.id).where(school_groups.c.trust_id == trust_id)
                          .order_by(school_groups.c.name)).scalars().all()
    return [_group(session, group_id) for group_id in ids]


def group(session: Session, trust_id: str, group_id: str) -> dict[str, Any]:
    row_in_trust(session, school_groups, group_id, trust_id, "group")
    return _group(session, group_id)


def audit_entries(trust_id: str, *, action: str | None = None, subject_id: str | None = None) -> Select:
    """The trust's audit log, newest first, of one action or about one person or school if asked."""
    query = select(audit_log).where(audit_log.c.trust_id == trust_id)
    if action:
        query = query.where(audit_log.c.action == action)
    if subject_id:
        query = query.where(audit_log.c.subject_id == subject_id)
    return query.order_by(audit_log.c.at.desc(), audit_log.c.id)


def employment(session: Session, trust_id: str, employment_id: str) -> Row:
    return row_in_trust(session, employments, employment_id, trust_id, "employment")


def role_grant(session: Session, trust_id: str, grant_id: str) -> Row:
    return row_in_trust(session, role_grants, grant_id, trust_id, "role grant")


def line_management(session: Session, trust_id: str, assignment_id: str) -> Row:
    return row_in_trust(session, line_managers, assignment_id, trust_id, "line management")


def trust_id_of(session: Session, slug: str) -> str | None:
    return session.execute(select(trusts.c.id).where(trusts.c.slug == slug)).scalar()


def employment_ids(session: Session, person_id: str) -> list[str]:
    return list(session.execute(select(employments.c.id).where(employments.c.person_id == person_id)
                                .order_by(employments.c.starts_on)).scalars())


def people_count(session: Session, trust_id: str) -> int:
    return session.execute(select(func.count()).select_from(people).where(people.c.trust_id == trust_id)).scalar_one()

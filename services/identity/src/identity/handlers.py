"""Identity's commands. Each writes through the unit of work it is given and records its events in
the outbox; the caller (a request, the CLI, the demo loader) commits."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.settings import Settings
from canopy_kit.web.errors import ApiError, field_error
from identity import passwords, tokens
from identity.db import employments, line_managers, people, role_grants, schools, trusts

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _new_id() -> str:
    return str(uuid.uuid4())


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_trust(uow: UnitOfWork, *, name: str, slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise field_error("slug", "3 to 64 lower-case letters, digits and hyphens")
    if uow.session.execute(select(trusts.c.id).where(trusts.c.slug == slug)).first():
        raise field_error("slug", "a trust with this slug already exists", 409)
    trust_id = _new_id()
    uow.session.execute(trusts.insert().values(id=trust_id, name=name.strip(), slug=slug, created_at=_now()))
    uow.publish("identity.trust.created", {"trust_id": trust_id, "name": name.strip(), "slug": slug},
                trust_id=trust_id)
    return trust_id


def add_school(uow: UnitOfWork, *, trust_id: str, name: str, phase: str, urn: str | None = None) -> str:
    school_id = _new_id()
    values = dict(name=name.strip(), phase=phase, urn=urn, status="open")
    uow.session.execute(schools.insert().values(id=school_id, trust_id=trust_id, created_at=_now(), **values))
    uow.publish("identity.school.added", {"school_id": school_id, **values}, trust_id=trust_id, school_id=school_id)
    return school_id


def register_person(uow: UnitOfWork, *, trust_id: str, given_name: str, family_name: str, email: str,
                    preferred_name: str | None = None, password: str | None = None, actor_id: str | None = None) -> str:
    email = normalise_email(email)
    taken = uow.session.execute(
        select(people.c.id).where(people.c.trust_id == trust_id, people.c.email == email)).first()
    if taken:
        raise field_error("email", "already used by someone in this trust", 409)
    password_hash = None
    if password is not None:
        problem = passwords.policy_problem(password)
        if problem:
            raise field_error("password", problem)
        password_hash = passwords.hash_password(password)
    person_id = _new_id()
    status = "active" if password_hash else "invited"
    values = dict(given_name=given_name.strip(), family_name=family_name.strip(), preferred_name=preferred_name,
                  email=email, status=status)
    uow.session.execute(people.insert().values(
        id=person_id, trust_id=trust_id, password_hash=password_hash,
        password_changed_at=_now() if password_hash else None, created_at=_now(), **values))
    uow.publish("identity.person.registered", {"person_id": person_id, **values}, trust_id=trust_id,
                actor_id=actor_id)
    return person_id


def start_employment(uow: UnitOfWork, *, trust_id: str, person_id: str, school_id: str, job_title: str,
                     staff_category: str, starts_on: date, fte: Decimal = Decimal("1.000"),
                     ends_on: date | None = None) -> str:
    if ends_on is not None and ends_on < starts_on:
        raise field_error("ends_on", "must not be before starts_on")
    employment_id = _new_id()
    values = dict(person_id=person_id, school_id=school_id, job_title=job_title, staff_category=staff_category,
                  fte=fte, starts_on=starts_on, ends_on=ends_on)
    uow.session.execute(employments.insert().values(id=employment_id, trust_id=trust_id, **values))
    uow.publish("identity.employment.started", {"employment_id": employment_id, **values}, trust_id=trust_id,
                school_id=school_id)
    return employment_id


def grant_role(uow: UnitOfWork, *, trust_id: str, person_id: str, role: str, scope_type: str, scope_id: str,
               valid_from: date, valid_to: date | None = None, actor_id: str | None = None) -> str:
    grant_id = _new_id()
    values = dict(person_id=person_id, role=role, scope_type=scope_type, scope_id=scope_id,
                  valid_from=valid_from, valid_to=valid_to)
    uow.session.execute(role_grants.insert().values(id=grant_id, trust_id=trust_id, **values))
    uow.publish("identity.role.granted", {"grant_id": grant_id, **values}, trust_id=trust_id,
                school_id=scope_id if scope_type == "school" else None, actor_id=actor_id)
    return grant_id


def assign_line_manager(uow: UnitOfWork, *, trust_id: str, person_id: str, manager_id: str, school_id: str,
                        starts_on: date) -> str:
    if person_id == manager_id:
        raise field_error("manager_id", "a person cannot be their own line manager")
    assignment_id = _new_id()
    values = dict(person_id=person_id, manager_id=manager_id, school_id=school_id, starts_on=starts_on, ends_on=None)
    uow.session.execute(line_managers.insert().values(id=assignment_id, trust_id=trust_id, **values))
    uow.publish("identity.line_manager.assigned", {"assignment_id": assignment_id, **values}, trust_id=trust_id,
                school_id=school_id)
    return assignment_id


def create_trust_with_admin(uow: UnitOfWork, *, name: str, slug: str, admin_given_name: str,
                            admin_family_name: str, admin_email: str, admin_password: str) -> tuple[str, str]:
    """A new tenant and the trust admin who sets up the rest."""
    trust_id = create_trust(uow, name=name, slug=slug)
    admin_id = register_person(uow, trust_id=trust_id, given_name=admin_given_name,
                               family_name=admin_family_name, email=admin_email, password=admin_password)
    grant_role(uow, trust_id=trust_id, person_id=admin_id, role="trust_admin", scope_type="trust",
               scope_id=trust_id, valid_from=date.today())
    return trust_id, admin_id


# -- sessions ----------------------------------------------------------------------------------
LOGIN_FAILED = "email or password is incorrect"


def login(uow: UnitOfWork, settings: Settings, *, email: str, password: str,
          trust_slug: str | None = None) -> tokens.TokenPair:
    """Tokens for the person whose email and password match, or a 401 that does not say which
    was wrong (nor whether the account exists)."""
    query = (select(people.c.id, people.c.trust_id, people.c.password_hash, people.c.status)
             .where(people.c.email == normalise_email(email)))
    if trust_slug:
        query = query.join(trusts, trusts.c.id == people.c.trust_id).where(trusts.c.slug == trust_slug.lower())
    candidates = uow.session.execute(query.limit(5)).all()
    matches = [c for c in candidates if passwords.verify(c.password_hash, password)] if candidates else []
    if not candidates:
        passwords.verify(None, password)  # same work as a real check
    if len(matches) > 1:
        raise field_error("trust", "this email belongs to several trusts; say which one", 409)
    if not matches or matches[0].status != "active":
        raise ApiError(401, LOGIN_FAILED, code="login_failed")
    person = matches[0]
    if passwords.needs_rehash(person.password_hash):
        uow.session.execute(update(people).where(people.c.id == person.id)
                            .values(password_hash=passwords.hash_password(password)))
    pair, _ = tokens.issue_pair(uow.session, person_id=person.id, trust_id=person.trust_id,
                                issuer=settings.token_issuer, audience=settings.token_audience,
                                passphrase=key_passphrase(settings))
    return pair


def key_passphrase(settings: Settings) -> str | None:
    return settings.option("KEY_PASSPHRASE")


def count_people(uow: UnitOfWork, trust_id: str) -> int:
    return uow.session.execute(select(func.count()).select_from(people).where(people.c.trust_id == trust_id)).scalar_one()

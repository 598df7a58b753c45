"""People and their employments: one person for their whole career in the trust.

A transfer ends one employment and starts another with the same person id; a leaver's
employments, roles and line management end and their account is disabled; nothing is deleted.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select, update

from canopy_kit.db.rows import row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict
from identity import passwords
from identity.commands.accounts import disable_account
from identity.commands.common import audit, employment_payload, new_id, now, person_payload, reload, taken
from identity.commands.line_management import end_open_assignments
from identity.commands.roles import end_grant
from identity.domain import employments as employment_rules
from identity.domain.accounts import DISABLED, normalise_email, status_on_registering
from identity.domain.password_policy import check_password
from identity.domain.transfers import Job, check_leaver, plan_transfer
from identity.tables import employments, people, role_grants, schools

EMAIL_TAKEN = "already used by someone in this trust"


def register_person(uow: UnitOfWork, *, trust_id: str, given_name: str, family_name: str, email: str,
                    preferred_name: str | None = None, password: str | None = None,
                    actor_id: str | None = None) -> str:
    email = normalise_email(email)
    if taken(uow, people, trust_id, "email", email):
        raise Conflict.on("email", EMAIL_TAKEN)
    password_hash = None
    if password is not None:
        check_password(password)
        password_hash = passwords.hash_password(password)
    person_id = new_id()
    uow.session.execute(people.insert().values(
        id=person_id, trust_id=trust_id, given_name=given_name.strip(), family_name=family_name.strip(),
        preferred_name=preferred_name, email=email, status=status_on_registering(password_hash is not None),
        password_hash=password_hash, password_changed_at=now() if password_hash else None, created_at=now()))
    uow.publish("identity.person.registered", person_payload(reload(uow, people, person_id)), trust_id=trust_id,
                actor_id=actor_id)
    return person_id


def update_person(uow: UnitOfWork, *, trust_id: str, person_id: str, changes: dict,
                  actor_id: str | None = None) -> None:
    row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    if "email" in changes:
        changes["email"] = normalise_email(changes["email"])
        if taken(uow, people, trust_id, "email", changes["email"], except_id=person_id):
            raise Conflict.on("email", EMAIL_TAKEN)
    if not changes:
        return
    uow.session.execute(update(people).where(people.c.id == person_id).values(**changes))
    uow.publish("identity.person.updated", person_payload(reload(uow, people, person_id)), trust_id=trust_id,
                actor_id=actor_id)


def start_employment(uow: UnitOfWork, *, trust_id: str, person_id: str, school_id: str, job_title: str,
                     staff_category: str, starts_on: date, fte: Decimal = employment_rules.FULL_TIME,
                     ends_on: date | None = None, actor_id: str | None = None) -> str:
    row_in_trust(uow.session, people, person_id, trust_id, "person")
    school = row_in_trust(uow.session, schools, school_id, trust_id, "school")
    fte = employment_rules.check_new_employment(school_status=school.status, starts_on=starts_on, ends_on=ends_on,
                                                fte=fte)
    employment_id = new_id()
    uow.session.execute(employments.insert().values(
        id=employment_id, trust_id=trust_id, person_id=person_id, school_id=school_id, job_title=job_title,
        staff_category=staff_category, fte=fte, starts_on=starts_on, ends_on=ends_on))
    uow.publish("identity.employment.started", employment_payload(reload(uow, employments, employment_id)),
                trust_id=trust_id, school_id=school_id, actor_id=actor_id)
    return employment_id


def end_employment(uow: UnitOfWork, *, trust_id: str, employment_id: str, ends_on: date,
                   actor_id: str | None = None, disable_if_last: bool = True) -> None:
    """End an employment; line management at that school ends with it (both ways). If it was the
    person's last employment, it has ended, and they hold no trust-wide role, their account is
    disabled (a transfer, which starts the next one at once, says not to)."""
    row = row_in_trust(uow.session, employments, employment_id, trust_id, "employment", lock=True)
    employment_rules.check_end(starts_on=row.starts_on, ended_on=row.ends_on, ends_on=ends_on)
    uow.session.execute(update(employments).where(employments.c.id == employment_id).values(ends_on=ends_on))
    uow.publish("identity.employment.ended", employment_payload(reload(uow, employments, employment_id)),
                trust_id=trust_id, school_id=row.school_id, actor_id=actor_id)
    end_open_assignments(uow, trust_id=trust_id, person_id=row.person_id, school_id=row.school_id,
                         ends_on=ends_on, actor_id=actor_id)
    if disable_if_last and employment_rules.ends_the_account(
            ends_on=ends_on, today=date.today(), still_engaged=_still_engaged(uow, row.person_id, ends_on)):
        disable_account(uow, trust_id=trust_id, person_id=row.person_id, reason="no employment left",
                        actor_id=actor_id)


def _still_engaged(uow: UnitOfWork, person_id: str, after: date) -> bool:
    """Has the person an employment running after that day, or a trust-wide role?"""
    employed = uow.session.execute(select(employments.c.id).where(
        employments.c.person_id == person_id,
        or_(employments.c.ends_on.is_(None), employments.c.ends_on > after))).first()
    trust_role = uow.session.execute(select(role_grants.c.id).where(
        role_grants.c.person_id == person_id, role_grants.c.scope_type == "trust",
        or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to > after))).first()
    return employed is not None or trust_role is not None


def transfer(uow: UnitOfWork, *, trust_id: str, person_id: str, from_employment_id: str, to_school_id: str,
             effective_on: date, job_title: str | None = None, staff_category: str | None = None,
             fte: Decimal | None = None, actor_id: str | None = None) -> str:
    """Move a person to another school from ``effective_on``: the same person, a new employment."""
    current = row_in_trust(uow.session, employments, from_employment_id, trust_id, "employment")
    move = plan_transfer(
        Job(current.person_id, current.school_id, current.job_title, current.staff_category, current.fte,
            current.starts_on, current.ends_on),
        person_id=person_id, to_school_id=to_school_id, effective_on=effective_on, job_title=job_title,
        staff_category=staff_category, fte=fte)
    end_employment(uow, trust_id=trust_id, employment_id=from_employment_id, ends_on=move.last_day,
                   actor_id=actor_id, disable_if_last=False)
    new_employment = start_employment(
        uow, trust_id=trust_id, person_id=person_id, school_id=to_school_id, job_title=move.job_title,
        staff_category=move.staff_category, fte=move.fte, starts_on=effective_on, actor_id=actor_id)
    uow.publish("identity.person.transferred", {
        "person_id": person_id, "from_employment_id": from_employment_id, "from_school_id": current.school_id,
        "to_employment_id": new_employment, "to_school_id": to_school_id, "effective_on": effective_on,
    }, trust_id=trust_id, school_id=to_school_id, actor_id=actor_id)
    return new_employment


def leave(uow: UnitOfWork, *, trust_id: str, person_id: str, last_day: date, actor_id: str | None = None) -> None:
    """A leaver: every employment, role grant and line management running on ``last_day`` ends
    then, and the account is disabled. Their history stays, with the person id it always had."""
    person = row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    starts_later = uow.session.execute(select(employments.c.id).where(
        employments.c.person_id == person_id, employments.c.starts_on > last_day)).first() is not None
    check_leaver(last_day=last_day, today=date.today(), starts_later=starts_later)
    still_open = or_(employments.c.ends_on.is_(None), employments.c.ends_on > last_day)
    for employment in uow.session.execute(select(employments).where(
            employments.c.person_id == person_id, still_open, employments.c.starts_on <= last_day)).all():
        end_employment(uow, trust_id=trust_id, employment_id=employment.id, ends_on=last_day, actor_id=actor_id,
                       disable_if_last=False)  # the leaver's account is disabled below, once
    for grant in uow.session.execute(select(role_grants.c.id).where(
            role_grants.c.person_id == person_id, role_grants.c.valid_from <= last_day,
            or_(role_grants.c.valid_to.is_(None), role_grants.c.valid_to > last_day))).scalars():
        end_grant(uow, trust_id=trust_id, grant_id=grant, valid_to=last_day, actor_id=actor_id)
    end_open_assignments(uow, trust_id=trust_id, person_id=person_id, school_id=None, ends_on=last_day,
                         actor_id=actor_id)
    if person.status != DISABLED:
        disable_account(uow, trust_id=trust_id, person_id=person_id, reason="left the trust", actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="person.left", actor_id=actor_id, subject_id=person_id,
          last_day=last_day.isoformat())

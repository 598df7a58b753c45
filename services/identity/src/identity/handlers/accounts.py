"""Accounts: invitations, password resets and changes, disabling and restoring sign-in.

One-time tokens are random, stored only as a hash, single use, and short lived. Asking for a
reset says nothing about whether the email exists. Any password change, and disabling an account,
revokes every refresh token of the person.
"""
from __future__ import annotations

from sqlalchemy import select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from identity import passwords, tokens
from identity.db import account_tokens, people
from identity.handlers.account_mail import request_mail, token_hash
from identity.handlers.common import audit, aware, get_row, normalise_email, now, person_payload, reload


def _redeem(uow: UnitOfWork, token: str, purpose: str):
    row = uow.session.execute(select(account_tokens).where(
        account_tokens.c.token_hash == token_hash(token), account_tokens.c.purpose == purpose).with_for_update()).first()
    if row is None or row.used_at is not None or aware(row.expires_at) <= now():
        raise field_error("token", "this link is invalid, used or expired; ask for a new one", 400)
    uow.session.execute(update(account_tokens).where(account_tokens.c.id == row.id).values(used_at=now()))
    return uow.session.execute(select(people).where(people.c.id == row.person_id)).one()


def _set_password(uow: UnitOfWork, person_id: str, password: str) -> None:
    problem = passwords.policy_problem(password)
    if problem:
        raise field_error("password", problem)
    uow.session.execute(update(people).where(people.c.id == person_id).values(
        password_hash=passwords.hash_password(password), password_changed_at=now()))
    tokens.revoke_all(uow.session, person_id)


def _set_status(uow: UnitOfWork, person, status: str, reason: str, actor_id: str | None) -> None:
    uow.session.execute(update(people).where(people.c.id == person.id).values(status=status))
    event = "identity.account.disabled" if status == "disabled" else "identity.account.activated"
    uow.publish(event, {"person_id": person.id, "status": status, "reason": reason}, trust_id=person.trust_id,
                actor_id=actor_id)
    uow.publish("identity.person.updated", person_payload(reload(uow, people, person.id)),
                trust_id=person.trust_id, actor_id=actor_id)


def invite(uow: UnitOfWork, *, trust_id: str, person_id: str, link_base: str, actor_id: str | None = None) -> None:
    """Mail the person a one-time link to set their password, once this transaction commits."""
    person = get_row(uow, people, person_id, trust_id, "person")
    if person.status == "disabled":
        raise ApiError(409, "the account is disabled; enable it before inviting")
    request_mail(uow, person, "invitation", link_base=link_base, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="account.invited", actor_id=actor_id, subject_id=person_id)


def accept_invitation(uow: UnitOfWork, *, token: str, password: str) -> str:
    person = _redeem(uow, token, "invitation")
    if person.status == "disabled":
        raise ApiError(409, "the account is disabled")
    _set_password(uow, person.id, password)
    if person.status != "active":
        _set_status(uow, person, "active", "invitation accepted", person.id)
    audit(uow, trust_id=person.trust_id, action="account.invitation_accepted", actor_id=person.id,
          subject_id=person.id)
    return person.id


def request_reset(uow: UnitOfWork, *, email: str, link_base: str, client: str | None = None) -> None:
    """Mail a reset link to every active account with this email (once this transaction commits);
    say nothing either way."""
    for person in uow.session.execute(select(people).where(
            people.c.email == normalise_email(email), people.c.status == "active")).all():
        request_mail(uow, person, "password_reset", link_base=link_base)
        audit(uow, trust_id=person.trust_id, action="password.reset_requested", subject_id=person.id, client=client)


def confirm_reset(uow: UnitOfWork, *, token: str, password: str) -> str:
    person = _redeem(uow, token, "reset")
    if person.status != "active":
        raise ApiError(409, "the account is not active")
    _set_password(uow, person.id, password)
    audit(uow, trust_id=person.trust_id, action="password.reset", actor_id=person.id, subject_id=person.id)
    return person.id


def change_password(uow: UnitOfWork, *, trust_id: str, person_id: str, current: str, new: str) -> None:
    person = get_row(uow, people, person_id, trust_id, "person", lock=True)
    if not passwords.verify(person.password_hash, current):
        raise field_error("current_password", "is not your current password", 422)
    _set_password(uow, person_id, new)
    audit(uow, trust_id=trust_id, action="password.changed", actor_id=person_id, subject_id=person_id)


def disable_account(uow: UnitOfWork, *, trust_id: str, person_id: str, reason: str,
                    actor_id: str | None = None) -> None:
    person = get_row(uow, people, person_id, trust_id, "person", lock=True)
    if person.status == "disabled":
        return
    _set_status(uow, person, "disabled", reason, actor_id)
    tokens.revoke_all(uow.session, person_id)
    audit(uow, trust_id=trust_id, action="account.disabled", actor_id=actor_id, subject_id=person_id, reason=reason)


def enable_account(uow: UnitOfWork, *, trust_id: str, person_id: str, actor_id: str | None = None) -> None:
    person = get_row(uow, people, person_id, trust_id, "person", lock=True)
    if person.status != "disabled":
        raise ApiError(409, "the account is not disabled")
    status = "active" if person.password_hash else "invited"
    _set_status(uow, person, status, "enabled by an administrator", actor_id)
    audit(uow, trust_id=trust_id, action="account.enabled", actor_id=actor_id, subject_id=person_id)

"""Accounts: invitations, password resets and changes, disabling and restoring sign-in.

One-time tokens are random, stored only as a hash, single use, and short lived. Asking for a
reset says nothing about whether the email exists. Any password change, and disabling an account,
revokes every refresh token of the person.
"""
from __future__ import annotations

from sqlalchemy import select, update

from canopy_kit.clock import as_utc
from canopy_kit.db.rows import row_in_trust
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Invalid
from identity import passwords, tokens
from identity.commands.account_mail import request_mail
from identity.commands.common import audit, now, person_payload, reload
from identity.domain import accounts
from identity.domain.password_policy import check_password
from identity.tables import account_tokens, people


def _redeem(uow: UnitOfWork, token: str, purpose: str):
    row = uow.session.execute(select(account_tokens).where(
        account_tokens.c.token_hash == tokens.token_hash(token), account_tokens.c.purpose == purpose)
        .with_for_update()).first()
    accounts.check_link(accounts.OneTimeLink(row.used_at, as_utc(row.expires_at)) if row else None, now())
    uow.session.execute(update(account_tokens).where(account_tokens.c.id == row.id).values(used_at=now()))
    return uow.session.execute(select(people).where(people.c.id == row.person_id)).one()


def _set_password(uow: UnitOfWork, person_id: str, password: str) -> None:
    check_password(password)
    uow.session.execute(update(people).where(people.c.id == person_id).values(
        password_hash=passwords.hash_password(password), password_changed_at=now()))
    tokens.revoke_all(uow.session, person_id)


def _set_status(uow: UnitOfWork, person, status: str, reason: str, actor_id: str | None) -> None:
    uow.session.execute(update(people).where(people.c.id == person.id).values(status=status))
    event = "identity.account.disabled" if status == accounts.DISABLED else "identity.account.activated"
    uow.publish(event, {"person_id": person.id, "status": status, "reason": reason}, trust_id=person.trust_id,
                actor_id=actor_id)
    uow.publish("identity.person.updated", person_payload(reload(uow, people, person.id)),
                trust_id=person.trust_id, actor_id=actor_id)


def invite(uow: UnitOfWork, *, trust_id: str, person_id: str, link_base: str, actor_id: str | None = None) -> None:
    """Mail the person a one-time link to set their password, once this transaction commits."""
    person = row_in_trust(uow.session, people, person_id, trust_id, "person")
    accounts.check_invitable(person.status)
    request_mail(uow, person, "invitation", link_base=link_base, actor_id=actor_id)
    audit(uow, trust_id=trust_id, action="account.invited", actor_id=actor_id, subject_id=person_id)


def accept_invitation(uow: UnitOfWork, *, token: str, password: str) -> str:
    person = _redeem(uow, token, "invitation")
    status = accounts.status_on_accepting_invitation(person.status)
    _set_password(uow, person.id, password)
    if status is not None:
        _set_status(uow, person, status, "invitation accepted", person.id)
    audit(uow, trust_id=person.trust_id, action="account.invitation_accepted", actor_id=person.id,
          subject_id=person.id)
    return person.id


def request_reset(uow: UnitOfWork, *, email: str, link_base: str, client: str | None = None) -> None:
    """Mail a reset link to every active account with this email (once this transaction commits);
    say nothing either way."""
    for person in uow.session.execute(select(people).where(
            people.c.email == accounts.normalise_email(email), people.c.status == accounts.ACTIVE)).all():
        request_mail(uow, person, "password_reset", link_base=link_base)
        audit(uow, trust_id=person.trust_id, action="password.reset_requested", subject_id=person.id, client=client)


def confirm_reset(uow: UnitOfWork, *, token: str, password: str) -> str:
    person = _redeem(uow, token, "reset")
    accounts.check_may_reset_password(person.status)
    _set_password(uow, person.id, password)
    audit(uow, trust_id=person.trust_id, action="password.reset", actor_id=person.id, subject_id=person.id)
    return person.id


def change_password(uow: UnitOfWork, *, trust_id: str, person_id: str, current: str, new: str) -> None:
    person = row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    if not passwords.verify(person.password_hash, current):
        raise Invalid.on("current_password", "is not your current password")
    _set_password(uow, person_id, new)
    audit(uow, trust_id=trust_id, action="password.changed", actor_id=person_id, subject_id=person_id)


def disable_account(uow: UnitOfWork, *, trust_id: str, person_id: str, reason: str,
                    actor_id: str | None = None) -> None:
    person = row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    if person.status == accounts.DISABLED:
        return
    _set_status(uow, person, accounts.DISABLED, reason, actor_id)
    tokens.revoke_all(uow.session, person_id)
    audit(uow, trust_id=trust_id, action="account.disabled", actor_id=actor_id, subject_id=person_id, reason=reason)


def enable_account(uow: UnitOfWork, *, trust_id: str, person_id: str, actor_id: str | None = None) -> None:
    person = row_in_trust(uow.session, people, person_id, trust_id, "person", lock=True)
    status = accounts.status_on_enabling(person.status, has_password=bool(person.password_hash))
    _set_status(uow, person, status, "enabled by an administrator", actor_id)
    audit(uow, trust_id=trust_id, action="account.enabled", actor_id=actor_id, subject_id=person_id)

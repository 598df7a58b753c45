"""Signing in (with the limits of ``identity.domain.sign_in``), refreshing and ending a session.

Failures are counted in the database, so every API process sees them. A success clears the count
of that account from that address. The client address is the gateway's word for it (``ProxyFix``,
see ``canopy_kit.web.forwarding``), never what the client claims.

Two refusals here must outlive the request, whose transaction is rolled back when it answers
with an error: a failed sign-in's count (else nobody is ever slowed down) and the revocation of a
refresh token family on reuse (else a stolen token's family lives on). They are raised with
``keep_changes=True``: whoever owns the unit of work (the request) commits before answering.
"""
from __future__ import annotations

from sqlalchemy import delete, func, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.errors import Conflict, NotSignedIn
from identity import passwords, tokens
from identity.commands.common import audit, new_id, now
from identity.domain.accounts import ACTIVE, normalise_email
from identity.domain.sign_in import LOGIN_FAILED, WINDOW, FailureKeys, check_attempts
from identity.settings import IdentitySettings
from identity.tables import login_failures, people, trusts


def _failures(uow: UnitOfWork, key: str) -> int:
    return uow.session.execute(select(func.count()).select_from(login_failures).where(
        login_failures.c.key == key, login_failures.c.at > now() - WINDOW)).scalar_one()


def _fail(uow: UnitOfWork, keys: FailureKeys, trust_id: str | None, person_id: str | None, client: str | None):
    uow.session.execute(login_failures.insert(), [{"id": new_id(), "key": key, "at": now()}
                                                  for key, _limit in keys.limits()])
    uow.session.execute(delete(login_failures).where(login_failures.c.at < now() - WINDOW))
    audit(uow, trust_id=trust_id, action="login.failed", subject_id=person_id, client=client)
    raise NotSignedIn(LOGIN_FAILED, code="login_failed", keep_changes=True)


def login(uow: UnitOfWork, settings: IdentitySettings, *, email: str, password: str, trust_slug: str | None = None,
          client: str | None = None) -> tokens.TokenPair:
    """Tokens for the person whose email and password match, or ``NotSignedIn`` that does not say
    which was wrong (nor whether the account exists)."""
    keys = FailureKeys.of(email, client)
    check_attempts(keys, lambda key: _failures(uow, key))
    query = (select(people.c.id, people.c.trust_id, people.c.password_hash, people.c.status)
             .where(people.c.email == normalise_email(email)))
    if trust_slug:
        query = query.join(trusts, trusts.c.id == people.c.trust_id).where(trusts.c.slug == trust_slug.lower())
    candidates = uow.session.execute(query.limit(5)).all()
    if not candidates:
        passwords.verify(None, password)  # the same work as a real check
    matches = [c for c in candidates if passwords.verify(c.password_hash, password)]
    if len(matches) > 1:
        raise Conflict.on("trust", "this email belongs to several trusts; say which one")
    if not matches or matches[0].status != ACTIVE:
        known = candidates[0] if len(candidates) == 1 else None
        _fail(uow, keys, known.trust_id if known else None, known.id if known else None, client)
    person = matches[0]
    uow.session.execute(delete(login_failures).where(login_failures.c.key == keys.account_from_client))
    if passwords.needs_rehash(person.password_hash):
        uow.session.execute(update(people).where(people.c.id == person.id)
                            .values(password_hash=passwords.hash_password(password)))
    pair, _ = tokens.issue_pair(uow.session, person_id=person.id, trust_id=person.trust_id,
                                issuer=settings.token_issuer, audience=settings.token_audience,
                                passphrase=settings.key_passphrase, lifetime=settings.access_token_lifetime)
    audit(uow, trust_id=person.trust_id, action="login.succeeded", actor_id=person.id, subject_id=person.id,
          client=client)
    return pair


def refresh(uow: UnitOfWork, settings: IdentitySettings, *, refresh_token: str) -> tokens.TokenPair:
    """A new pair for a refresh token used once; a token used again revokes its whole family."""
    try:
        return tokens.rotate_refresh(uow.session, refresh_token, issuer=settings.token_issuer,
                                     audience=settings.token_audience, passphrase=settings.key_passphrase,
                                     lifetime=settings.access_token_lifetime)
    except tokens.RefreshRejected as exc:
        raise NotSignedIn(str(exc), code="refresh_rejected", keep_changes=True) from None


def logout(uow: UnitOfWork, *, refresh_token: str) -> None:
    """Revoke the refresh token (and its successors); an unknown token is no error."""
    tokens.revoke(uow.session, refresh_token)

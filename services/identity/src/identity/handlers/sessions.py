"""Signing in, with rate limiting per account, per client address, and per account from one address.

Failures are counted in the database (so every API process sees them), within ``WINDOW``:
``ACCOUNT_PER_CLIENT_LIMIT`` for one email from one address locks that address out of that account
only, so someone guessing a colleague's password cannot lock the colleague out; ``CLIENT_LIMIT``
from one address, whatever the emails, stops one client trying many accounts; ``ACCOUNT_LIMIT`` for
one email from all addresses together caps a guesser spread over many addresses, who needs that
many failures (at most ``ACCOUNT_PER_CLIENT_LIMIT`` from each of them) before the account waits out
the window. Beyond a limit the answer is 429 with ``Retry-After``. The limits apply to any email
typed, so they say nothing about whether the account exists. A success clears the count of that
account from that address. The client address is the gateway's word for it (``ProxyFix``, see
``canopy_kit.web.forwarding``), never what the client claims.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.settings import Settings
from canopy_kit.web.errors import ApiError, field_error
from identity import passwords, tokens
from identity.db import login_failures, people, trusts
from identity.handlers.common import audit, key_passphrase, new_id, normalise_email, now

LOGIN_FAILED = "email or password is incorrect"
WINDOW = timedelta(minutes=15)
ACCOUNT_PER_CLIENT_LIMIT = 5
CLIENT_LIMIT = 50
ACCOUNT_LIMIT = 100


@dataclass(frozen=True)
class _Keys:
    """What a failure counts against: (key, limit) pairs."""
    account_from_client: str
    client: str | None
    account: str

    def limits(self) -> list[tuple[str, int]]:
        pairs = [(self.account_from_client, ACCOUNT_PER_CLIENT_LIMIT), (self.account, ACCOUNT_LIMIT)]
        return pairs + ([(self.client, CLIENT_LIMIT)] if self.client else [])


def _keys(email: str, client: str | None) -> _Keys:
    account = f"account:{normalise_email(email)}"[:228]  # with the address, within the 300 the column holds
    return _Keys(account_from_client=f"{account}|client:{client or '-'}"[:300],
                 client=f"client:{client}" if client else None, account=account)


def _failures(uow: UnitOfWork, key: str) -> int:
    return uow.session.execute(select(func.count()).select_from(login_failures).where(
        login_failures.c.key == key, login_failures.c.at > now() - WINDOW)).scalar_one()


def _throttle(uow: UnitOfWork, keys: _Keys) -> None:
    if any(_failures(uow, key) >= limit for key, limit in keys.limits()):
        raise ApiError(429, "too many failed sign-ins; wait a few minutes and try again",
                       headers={"Retry-After": str(int(WINDOW.total_seconds()))})


def _fail(uow: UnitOfWork, keys: _Keys, trust_id: str | None, person_id: str | None, client: str | None):
    # Committed on its own: the request's answer is an error, whose transaction is rolled back.
    uow.session.execute(login_failures.insert(), [{"id": new_id(), "key": key, "at": now()}
                                                  for key, _limit in keys.limits()])
    uow.session.execute(delete(login_failures).where(login_failures.c.at < now() - WINDOW))
    audit(uow, trust_id=trust_id, action="login.failed", subject_id=person_id, client=client)
    uow.commit()
    raise ApiError(401, LOGIN_FAILED, code="login_failed")


def login(uow: UnitOfWork, settings: Settings, *, email: str, password: str, trust_slug: str | None = None,
          client: str | None = None) -> tokens.TokenPair:
    """Tokens for the person whose email and password match, or a 401 that does not say which
    was wrong (nor whether the account exists)."""
    keys = _keys(email, client)
    _throttle(uow, keys)
    query = (select(people.c.id, people.c.trust_id, people.c.password_hash, people.c.status)
             .where(people.c.email == normalise_email(email)))
    if trust_slug:
        query = query.join(trusts, trusts.c.id == people.c.trust_id).where(trusts.c.slug == trust_slug.lower())
    candidates = uow.session.execute(query.limit(5)).all()
    if not candidates:
        passwords.verify(None, password)  # the same work as a real check
    matches = [c for c in candidates if passwords.verify(c.password_hash, password)]
    if len(matches) > 1:
        raise field_error("trust", "this email belongs to several trusts; say which one", 409)
    if not matches or matches[0].status != "active":
        known = candidates[0] if len(candidates) == 1 else None
        _fail(uow, keys, known.trust_id if known else None, known.id if known else None, client)
    person = matches[0]
    uow.session.execute(delete(login_failures).where(login_failures.c.key == keys.account_from_client))
    if passwords.needs_rehash(person.password_hash):
        uow.session.execute(update(people).where(people.c.id == person.id)
                            .values(password_hash=passwords.hash_password(password)))
    pair, _ = tokens.issue_pair(uow.session, person_id=person.id, trust_id=person.trust_id,
                                issuer=settings.token_issuer, audience=settings.token_audience,
                                passphrase=key_passphrase(settings))
    audit(uow, trust_id=person.trust_id, action="login.succeeded", actor_id=person.id, subject_id=person.id,
          client=client)
    return pair

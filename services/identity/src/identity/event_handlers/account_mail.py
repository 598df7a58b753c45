"""Account mail (invitations, password resets), sent only after the request that asked for it has
committed.

The request writes ``identity.account_mail.requested`` into its outbox with the rest of its change
(``identity.commands.account_mail``); identity's own consumer sends the mail through the kit's
inbox. So a request that rolls back sends nothing; a mail server that is down or a mail folder that
cannot be written costs the request nothing (the consumer retries, then dead-letters: ``canopy
identity dead-letters``); and the one-time token is made by the consumer as it sends the mail, so it
is never stored but as a hash, and no outbox row, broker message or dead letter carries it. Should
the consumer's commit fail after the mail went out, the redelivered event sends a second mail whose
link works (the first one's token was never stored).
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from canopy_kit.db.rows import new_id, now
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.events.subscriptions import ReceivedEvent
from identity.domain.accounts import STILL_WANTED, mail_still_wanted
from identity.mailer import Mailer
from identity.tables import account_tokens, people, trusts
from identity.tokens import token_hash

log = logging.getLogger("identity.mail")

INVITATION_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=1)
# The mail's kind -> the purpose of its one-time token, and how long that lives.
TOKEN_PURPOSE = {"invitation": "invitation", "password_reset": "reset"}
TOKEN_TTL = {"invitation": INVITATION_TTL, "password_reset": RESET_TTL}


def issue_token(uow: UnitOfWork, person_id: str, purpose: str, ttl: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    # A new token replaces any earlier unused one of the same purpose.
    uow.session.execute(update(account_tokens).where(
        account_tokens.c.person_id == person_id, account_tokens.c.purpose == purpose,
        account_tokens.c.used_at.is_(None)).values(used_at=now()))
    uow.session.execute(account_tokens.insert().values(
        id=new_id(), token_hash=token_hash(token), person_id=person_id, purpose=purpose, created_at=now(),
        expires_at=now() + ttl))
    return token


def _message(kind: str, person, trust_name: str, link: str) -> tuple[str, str]:
    if kind == "invitation":
        return (f"Your Canopy account at {trust_name}",
                f"Hello {person.preferred_name or person.given_name},\n\nSet your password to start using Canopy:\n"
                f"{link}\n\nThe link works once, for {INVITATION_TTL.days} days.\n")
    return ("Reset your Canopy password",
            f"Someone asked to reset the password of this account. If it was you, use this link "
            f"within the hour:\n{link}\n\nIf not, ignore this message.\n")


def send_requested_mail(uow: UnitOfWork, event: ReceivedEvent) -> None:
    """Make the token and send the mail, through the mail server the settings name; raising
    leaves it to be retried."""
    kind, person_id = event.data["kind"], str(event.data["person_id"])
    person = uow.session.execute(select(people).where(people.c.id == person_id)).first()
    if not mail_still_wanted(kind, person.status if person is not None else None):
        log.info("%s for %s not sent: the account is no longer %s", kind, person_id, " or ".join(STILL_WANTED[kind]))
        return
    token = issue_token(uow, person.id, TOKEN_PURPOSE[kind], TOKEN_TTL[kind])
    trust_name = uow.session.execute(select(trusts.c.name).where(trusts.c.id == person.trust_id)).scalar_one()
    subject, body = _message(kind, person, trust_name, f"{event.data['link_base']}?token={token}")
    Mailer(uow.settings).send(person.email, subject, body)

"""Asking for account mail (an invitation, a password reset) inside the request's transaction.

The request writes ``identity.account_mail.requested`` into its outbox with the rest of its change;
identity's own consumer sends the mail (``identity.event_handlers.account_mail``). So a request
that rolls back sends nothing, and a mail server that is down costs the request nothing.
"""
from __future__ import annotations

from canopy_kit.db.rows import new_id
from canopy_kit.db.uow import UnitOfWork

MAIL_REQUESTED = "identity.account_mail.requested"


def request_mail(uow: UnitOfWork, person, kind: str, *, link_base: str, actor_id: str | None = None) -> None:
    """Ask for ``kind`` of mail to ``person``, in the caller's transaction."""
    uow.publish(MAIL_REQUESTED, {"mail_id": new_id(), "person_id": person.id, "kind": kind, "link_base": link_base},
                trust_id=person.trust_id, actor_id=actor_id)

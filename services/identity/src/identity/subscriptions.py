"""What identity consumes: only its own account mail, sent after the request that asked for it has
committed (``identity.event_handlers.account_mail``), with the kit's retries and dead letters."""
from __future__ import annotations

from canopy_kit.events.subscriptions import Subscriptions
from identity.commands.account_mail import MAIL_REQUESTED
from identity.event_handlers.account_mail import send_requested_mail


def subscriptions() -> Subscriptions:
    subs = Subscriptions()
    subs.on(MAIL_REQUESTED)(send_requested_mail)
    return subs

"""What identity consumes: only its own account mail, sent after the request that asked for it has
committed (``identity.handlers.account_mail``), with the kit's retries and dead letters."""
from __future__ import annotations

from canopy_kit.events.subscriptions import ReceivedEvent, Subscriptions


def subscriptions() -> Subscriptions:
    subs = Subscriptions()

    @subs.on("identity.account_mail.requested")
    def send_account_mail(uow, event: ReceivedEvent) -> None:
        from identity.handlers.account_mail import send_requested_mail
        from identity.mailer import Mailer

        send_requested_mail(uow, event, Mailer(subs.runtime.settings))

    return subs

"""A new trust: its national standards, published, so that its forms can link to them from the start."""
from __future__ import annotations

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.events.subscriptions import ReceivedEvent
from observation.commands import ensure_national_frameworks


def trust_created(uow: UnitOfWork, event: ReceivedEvent) -> None:
    """``identity.trust.created``: seed the trust's national frameworks (once, however often it comes)."""
    ensure_national_frameworks(uow, event.trust_id)

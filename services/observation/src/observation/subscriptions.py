"""What observation consumes: identity's events, into the directory projection, and a new trust's
national standards (so its forms can link to them from the start)."""
from __future__ import annotations

from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import subscribe_directory
from observation.event_handlers import trusts


def subscriptions() -> Subscriptions:
    subs = subscribe_directory(Subscriptions())
    subs.on("identity.trust.created")(trusts.trust_created)
    return subs

"""What portfolio consumes: identity's events, into the kit's directory projection (who works
where, who holds which role), which its access checks read. It has no event handlers of its own."""
from __future__ import annotations

from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import subscribe_directory


def subscriptions() -> Subscriptions:
    return subscribe_directory(Subscriptions())

"""What observation consumes: identity's events, into the directory projection, and a new trust's
national standards (so its forms can link to them from the start)."""
from __future__ import annotations

from canopy_kit.events.subscriptions import ReceivedEvent, Subscriptions
from canopy_kit.projections.directory import subscribe_directory


def _seed_national_frameworks(uow, event: ReceivedEvent) -> None:
    from observation.handlers import ensure_national_frameworks

    ensure_national_frameworks(uow, event.trust_id)


def subscriptions() -> Subscriptions:
    subs = subscribe_directory(Subscriptions())
    subs.on("identity.trust.created")(_seed_national_frameworks)
    return subs

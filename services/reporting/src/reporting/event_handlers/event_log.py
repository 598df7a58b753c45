"""Every event reporting receives, appended to ``event_log`` before its read models see it, so
that they can be rebuilt from it (``canopy reporting replay``)."""
from __future__ import annotations

from datetime import datetime

from canopy_kit.clock import now
from canopy_kit.events.subscriptions import ReceivedEvent
from reporting.tables import event_log


def log_events(uow, events: list[ReceivedEvent]) -> None:
    received_at = now()
    uow.session.execute(event_log.insert(), [
        {"event_id": e.event_id, "event_type": e.event_type, "version": e.envelope.version, "trust_id": e.trust_id,
         "occurred_at": datetime.fromisoformat(e.envelope.occurred_at), "received_at": received_at,
         "envelope": e.envelope.to_json()} for e in events])

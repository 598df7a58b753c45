"""Rebuilding reporting's read models: from the event log (``replay``), or only the rollups from
the facts (``rebuild``, e.g. after a rollup's definition changed).

Both run in one transaction: readers keep seeing the old figures until the new ones are complete.
Stop the reporting consumer first (the replay takes the consumer's place for its duration; events
arriving meanwhile wait in the queue).
"""
from __future__ import annotations

from itertools import groupby

from sqlalchemy import delete, select

from canopy_contracts import Envelope
from canopy_kit.events.subscriptions import ReceivedEvent
from canopy_kit.db.tables import (
    dir_employments, dir_group_schools, dir_line_managers, dir_people, dir_role_grants, dir_schools,
)
from reporting.tables import event_log, metadata
from reporting.subscriptions import read_models
from reporting.rollups import ALL, rebuild

CHUNK = 2000
READ_MODELS = [t for t in metadata.sorted_tables if t.name != "event_log"] + [
    dir_schools, dir_group_schools, dir_people, dir_employments, dir_role_grants, dir_line_managers]


def rebuild_rollups(uow, trust_id: str | None = None) -> None:
    for rollup in ALL:
        rebuild(uow.session, rollup, trust_id)


def replay(uow, registry) -> int:
    """Empty every read model and apply the whole event log again, in the order received."""
    session = uow.session
    for table in READ_MODELS:
        session.execute(delete(table))
    handlers = read_models()
    replayed, after = 0, 0
    while True:
        rows = session.execute(select(event_log.c.seq, event_log.c.envelope).where(event_log.c.seq > after)
                               .order_by(event_log.c.seq).limit(CHUNK)).all()
        if not rows:
            return replayed
        after = rows[-1].seq
        events = []
        for row in rows:
            envelope = Envelope.from_json(row.envelope)
            data = registry.get(envelope.event_type, envelope.version).load(envelope.payload)
            events.append(ReceivedEvent(envelope=envelope, data=data))
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            handler = handlers.batch_handler_for(event_type)
            if handler is not None:
                handler(uow, list(run))
        replayed += len(events)


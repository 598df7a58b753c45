"""Which events a service consumes, and the handler for each."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TYPE_CHECKING

from canopy_contracts import Envelope

if TYPE_CHECKING:
    from canopy_kit.db.uow import UnitOfWork


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as a handler sees it: the envelope, and its payload loaded by its contract
    (UUIDs, dates and decimals as Python values)."""

    envelope: Envelope
    data: dict[str, Any]

    @property
    def event_id(self) -> str:
        return self.envelope.event_id

    @property
    def event_type(self) -> str:
        return self.envelope.event_type

    @property
    def trust_id(self) -> str:
        return self.envelope.trust_id


Handler = Callable[["UnitOfWork", ReceivedEvent], None]
BatchHandler = Callable[["UnitOfWork", list[ReceivedEvent]], None]


class Subscriptions:
    """``@subscriptions.on("identity.person.registered")`` registers a handler.

    A handler writes through the unit of work it is given and never commits: the consumer commits
    the handler's writes together with the inbox record, so a redelivered event has no second
    effect. It reads the service's settings from ``uow.settings``. A handler that raises is retried
    later, or dead-lettered at once for a ``Refusal`` that retrying cannot change (ADR 0019); make
    it deterministic.
    """

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler | BatchHandler]] = {}
        self._batched: set[int] = set()  # ids of the handlers that take a list of events

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        """Register a handler; several handlers of one event run in registration order, in one
        savepoint (e.g. the kit's directory projection, then the service's own reaction)."""

        def register(handler: Handler) -> Handler:
            self._handlers.setdefault(event_type, []).append(handler)
            return handler

        return register

    def on_many(self, event_type: str) -> Callable[[BatchHandler], BatchHandler]:
        """Register a handler that takes consecutive events of one type together, so that a read
        model can write them in one statement (the consumer's throughput is its statements)."""

        def register(handler: BatchHandler) -> BatchHandler:
            self._handlers.setdefault(event_type, []).append(handler)
            self._batched.add(id(handler))
            return handler

        return register

    def batch_handler_for(self, event_type: str) -> BatchHandler | None:
        handlers = self._handlers.get(event_type)
        if not handlers:
            return None

        def run_all(uow, events: list[ReceivedEvent]) -> None:
            for handler in handlers:
                if id(handler) in self._batched:
                    handler(uow, events)
                else:
                    for event in events:
                        handler(uow, event)

        return run_all

    def handler_for(self, event_type: str) -> Handler | None:
        batch = self.batch_handler_for(event_type)
        return None if batch is None else (lambda uow, event: batch(uow, [event]))

    def handlers(self) -> list[tuple[str, Callable]]:
        """Every ``(event_type, handler)``, in registration order."""
        return [(event_type, handler) for event_type, handlers in self._handlers.items() for handler in handlers]

    @property
    def routing_keys(self) -> tuple[str, ...]:
        return tuple(sorted(self._handlers))

    def __bool__(self) -> bool:
        return bool(self._handlers)

"""The unit of work: one transaction holding the state change and the events it causes."""
from __future__ import annotations

from typing import Any, Callable, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class Outbox(Protocol):
    """What a unit of work needs of the outbox (``canopy_kit.events.outbox.OutboxWriter``): the
    database layer knows nothing of events beyond this."""

    def write(self, session: Session, event_type: str, payload: dict[str, Any], **envelope_fields: Any) -> str: ...

    def write_many(self, session: Session, events: list) -> list[str]: ...

    def committed(self, session: Session) -> None: ...

    def rolled_back(self, session: Session) -> None: ...


class UnitOfWork:
    """A session plus an outbox writer sharing its transaction.

    ``with factory() as uow:`` rolls back on leaving unless ``commit()`` was called, so that an
    exception never leaves half a change or an event without its change.
    """

    def __init__(self, session: Session, outbox: Outbox, settings: Any = None):
        self.session = session
        self.outbox = outbox
        # The service's settings (``canopy_kit.settings``), so that commands and event handlers
        # read the same values the API does.
        self.settings = settings

    def publish(self, event_type: str, payload: dict[str, Any], **envelope_fields: Any) -> str:
        """Record an event in the outbox, in this transaction; returns its event id."""
        return self.outbox.write(self.session, event_type, payload, **envelope_fields)

    def publish_many(self, events: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> list[str]:
        """``(event_type, payload, envelope fields)`` for each event, inserted in one statement."""
        return self.outbox.write_many(self.session, events)

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        self.session.commit()
        self.outbox.committed(self.session)

    def rollback(self) -> None:
        self.outbox.rolled_back(self.session)
        self.session.rollback()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()


class UnitOfWorkFactory:
    def __init__(self, engine: Engine, outbox: Outbox, settings: Any = None):
        self.engine = engine
        self.outbox = outbox
        self.settings = settings
        self._sessions: Callable[[], Session] = sessionmaker(bind=engine, expire_on_commit=False)

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self._sessions(), self.outbox, self.settings)

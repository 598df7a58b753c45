"""What the current request or event is, carried to logs and to the events it causes.

A request sets ``request_id`` and starts a correlation id; a consumer handling an event takes the
event's correlation id and makes the event its ``causation_id``. Events written meanwhile carry
both, so one user action can be followed across services.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Iterator

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


@contextlib.contextmanager
def bound(**values: str | None) -> Iterator[None]:
    variables = {"request_id": request_id, "correlation_id": correlation_id, "causation_id": causation_id}
    tokens = [(variables[name], variables[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)

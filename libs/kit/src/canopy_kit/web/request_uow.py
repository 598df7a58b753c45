"""One request, one transaction.

A view takes the request's unit of work with ``current_uow()`` and never commits: the app commits
after a successful response (status < 400) and rolls back otherwise, so a request that fails half
way leaves nothing behind, and its events are in the outbox only if its change is committed.
"""
from __future__ import annotations

from flask import current_app, g

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.settings import Settings


def current_settings() -> Settings:
    """The service's settings (its own ``settings.py`` class), the same object its handlers get."""
    return current_app.extensions["canopy"].settings


def current_uow() -> UnitOfWork:
    uow = g.get("canopy_uow")
    if uow is None:
        uow = current_app.extensions["canopy"].uow_factory()
        g.canopy_uow = uow
    return uow


def close_request_uow(_exc=None) -> None:
    uow = g.pop("canopy_uow", None)
    if uow is not None:
        uow.__exit__(None, None, None)

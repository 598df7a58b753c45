"""The web client (``clients/web``) as a process of the production topology, found through the
``canopy.clients`` entry points so that the kit never imports it: ``web-app`` builds its Flask app
(in each gunicorn worker, after the fork), ``web-migrate`` creates or upgrades its database.

It is named ``web`` everywhere: its process, its settings (``WEB_*``, or the shared ones with
``{service}`` as ``web``: its database is ``canopy_web`` beside the services' ``canopy_<service>``),
its image ``canopy/web`` and its upstream behind the gateway, which sends it every path that is not
``/api/`` or ``/docs/``.
"""
from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Mapping

from canopy_kit.gateway import CLIENTS_GROUP
from canopy_kit.settings import Settings

WEB = "web"
APP_ENTRY = "web-app"
# What the client takes in one request: WEB_MAX_UPLOAD_BYTES (an evidence file, a staff CSV; 10 MiB
# unless set, as in canopy_web.settings) and the form around it, as its own MAX_CONTENT_LENGTH does.
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
FORM_ALLOWANCE = 64 * 1024


def _entry(name: str) -> EntryPoint | None:
    return next(iter(entry_points(group=CLIENTS_GROUP, name=name)), None)


def web_client_installed() -> bool:
    return _entry(APP_ENTRY) is not None


def web_app_factory():
    """``create_web_app(settings=None)`` of the installed client: it reads its own settings."""
    entry = _entry(APP_ENTRY)
    if entry is None:
        raise LookupError("the web client is not installed (pip install -e clients/web)")
    return entry.load()


def web_settings(env: Mapping[str, str]) -> Settings:
    """The platform settings the client reads (its own fields are in ``extra``)."""
    return Settings.from_env(WEB, env)


def web_max_body_bytes(env: Mapping[str, str]) -> int:
    raw = web_settings(env).extra.get("MAX_UPLOAD_BYTES")
    try:
        return (int(raw) if raw else DEFAULT_MAX_UPLOAD_BYTES) + FORM_ALLOWANCE
    except ValueError:
        raise ValueError(f"WEB_MAX_UPLOAD_BYTES must be a whole number, got {raw!r}") from None

"""``create_app(settings)``: reporting's WSGI app (gunicorn: ``reporting.app:create_app()``)."""
from __future__ import annotations

from canopy_kit.service import Runtime
from canopy_kit.settings import Settings
from canopy_kit.web.app import create_service_app
from reporting.service import SERVICE


def create_app(settings: Settings | None = None):
    return create_service_app(Runtime(SERVICE, settings or Settings.from_env(SERVICE.name)))

"""Where account mail links to: the configured pages, or this service's own address."""
from __future__ import annotations

from flask import request

from canopy_kit.web.request_uow import current_settings


def invitation_link() -> str:
    return current_settings().invitation_url or request.host_url.rstrip("/") + "/accept-invitation"


def reset_link() -> str:
    return current_settings().reset_url or invitation_link().replace("accept-invitation", "reset-password")

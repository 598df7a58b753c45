"""The caller's access policy in this request (``observation.access``)."""
from __future__ import annotations

from canopy_kit.web.auth import request_permissions
from observation.access import Access


def caller() -> Access:
    """Over the directory the caller was authenticated against, built once per request."""
    permissions = request_permissions()
    return Access(permissions, permissions.directory)

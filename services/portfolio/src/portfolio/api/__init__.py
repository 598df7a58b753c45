"""Portfolio's HTTP API: thin blueprints that parse, build the caller's access policy, read
through ``queries`` or change through ``commands``, and respond."""
from __future__ import annotations

from canopy_kit.web.auth import request_permissions
from portfolio.access import PortfolioAccess


def caller() -> PortfolioAccess:
    """The access policy of this request's caller (a 401 without a valid token)."""
    return PortfolioAccess(request_permissions())


def blueprints() -> list:
    from portfolio.api import activities, evaluations, evidence, export, programme, requests

    return [activities.blueprint(), evidence.blueprint(), evaluations.blueprint(), requests.blueprint(),
            programme.blueprint(), export.blueprint()]

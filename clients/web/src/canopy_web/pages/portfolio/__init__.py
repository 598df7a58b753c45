"""The person's own portfolio: CPD activities with their evidence and impact evaluations, CPD
requests, and the export of everything held. Booking the trust's programme is the ``cpd`` area's.

Everything is read and written through portfolio's public API; the national standards' codes
and the activity types come from the platform's published contracts, as any client would take
them from its SDK.
"""
from __future__ import annotations

from flask import Blueprint

from canopy_web.pages.portfolio import activities, cpd_requests, evaluations, export
from canopy_web.pages.portfolio.helpers import total_hours

__all__ = ["blueprint", "total_hours"]


def blueprint() -> Blueprint:
    blp = Blueprint("portfolio", __name__, url_prefix="/portfolio")
    activities.add_routes(blp)
    evaluations.add_routes(blp)
    cpd_requests.add_routes(blp)
    export.add_routes(blp)
    return blp

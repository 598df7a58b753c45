"""The export of everything portfolio holds about the person, as a file to keep."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort

from canopy_web import auth
from canopy_web.pages.portfolio.helpers import SERVICE, _me, attachment, total_hours
from canopy_web.views import page


def add_routes(blp: Blueprint) -> None:
    @blp.get("/export")
    @auth.signed_in
    def export():
        held = auth.get(SERVICE, f"/v1/people/{_me()}/portfolio/export")
        counts = {name: len(held.get(name) or []) for name in ("activities", "evaluations", "evidence",
                                                               "requests", "bookings")}
        return page("portfolio/export.html", counts=counts, hours=total_hours(held.get("activities") or []))

    @blp.get("/export/<kind>")
    @auth.signed_in
    def export_file(kind):
        if kind not in ("json", "html"):
            abort(404)
        answer = auth.call("GET", SERVICE, f"/v1/people/{_me()}/portfolio/export", params={"format": kind},
                           accept="text/html" if kind == "html" else "application/json")
        content_type = "text/html; charset=utf-8" if kind == "html" else "application/json"
        response = Response(answer.content, content_type=content_type)
        response.headers["Content-Disposition"] = attachment(f"portfolio-{date.today().isoformat()}.{kind}")
        response.headers["Cache-Control"] = "private, no-store"
        return response

"""The trust admin's pages: the trust's schools and groups, its people (one by one and from a
CSV file), their jobs, roles, line managers and accounts, the observation forms and frameworks the
schools use, and the audit log. Identity and observation decide what the caller may do; the menu
offers the area to trust admins only."""
from __future__ import annotations

from flask import Blueprint, request

from canopy_web import auth
from canopy_web.pages.admin import forms, imports, people, structure
from canopy_web.lists import page_number
from canopy_web.pages.admin.common import total
from canopy_web.people import names_of
from canopy_web.views import page

AUDIT_PAGE = 25


def blueprint() -> Blueprint:
    blp = Blueprint("admin", __name__, url_prefix="/admin")

    @blp.get("")
    @auth.signed_in
    def admin():
        return page("admin/home.html", counts={
            "schools": total("identity", "/v1/schools"),
            "groups": len(auth.get("identity", "/v1/groups")),
            "people": total("identity", "/v1/people"),
            "invited": total("identity", "/v1/people", status="invited"),
            "disabled": total("identity", "/v1/people", status="disabled"),
            "forms": total("observation", "/v1/templates"),
            "frameworks": total("observation", "/v1/frameworks"),
            "audit": total("identity", "/v1/audit"),
        })

    @blp.get("/audit")
    @auth.signed_in
    def audit():
        filters = {"action": request.args.get("action", "").strip(), "subject_id": request.args.get("subject_id", "")}
        found = auth.get("identity", "/v1/audit", params={**filters, "page": page_number(request.args.get("page")),
                                                          "page_size": AUDIT_PAGE})
        ids = {entry[key] for entry in found["items"] for key in ("actor_id", "subject_id") if entry.get(key)}
        return page("admin/audit.html", found=found, filters=filters, form=filters, names=names_of(ids))

    structure.add_routes(blp)
    imports.add_routes(blp)
    people.add_routes(blp)
    forms.add_routes(blp)
    return blp

"""The lists of observation records: those about me and those I made."""
from __future__ import annotations

from flask import Blueprint, request

from canopy_web import auth
from canopy_web.lists import every_item, page_number
from canopy_web.pages.observations.drop_in import OBSERVER_ROLES, TRUST_OBSERVERS
from canopy_web.people import names_of
from canopy_web.views import page

PAGE_SIZE = 20


def _forms_by_version() -> dict[str, dict]:
    """Every form version of the trust -> its form's name and version number (one call a page)."""
    found = {}
    for template in every_item("observation", "/v1/templates"):
        for version in template["versions"]:
            found[version["id"]] = {"name": template["name"], "version": version["version"]}
    return found


def add_routes(blp: Blueprint) -> None:
    @blp.get("/observations")
    @auth.signed_in
    def mine():
        return _list_page("observee_id", "observations/mine.html")

    @blp.get("/observations/made")
    @auth.signed_in
    def made():
        return _list_page("observer_id", "observations/made.html")


def _list_page(role: str, template: str):
    me = auth.principal().person_id
    result = auth.get("observation", "/v1/records",
                      params={role: me, "page": page_number(request.args.get("page")), "page_size": PAGE_SIZE})
    other = "observer_id" if role == "observee_id" else "observee_id"
    names = names_of({r[other] for r in result["items"]}, [r["school_id"] for r in result["items"]])
    forms = _forms_by_version() if result["items"] else {}
    return page(template, result=result, names=names, forms=forms, other=other,
                observer_roles=OBSERVER_ROLES | TRUST_OBSERVERS)

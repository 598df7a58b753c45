"""The trust's structure: its schools (add, rename, re-phase, close) and groups of schools (hubs
that roles can be granted over)."""
from __future__ import annotations

from flask import Blueprint, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.labels import in_words
from canopy_web.lists import all_schools
from canopy_web.pages.admin.common import PHASES, saved
from canopy_web.views import page


def _school_body(form) -> dict:
    return {"name": form.get("name", "").strip(), "phase": form.get("phase", ""),
            "urn": form.get("urn", "").strip() or None}


def _group_body(form) -> dict:
    return {"name": form.get("name", "").strip(), "school_ids": form.getlist("school_ids")}


def add_routes(blp: Blueprint) -> None:
    phases = in_words(PHASES)

    def schools_page(error: ApiError | None = None):
        return page("admin/schools.html", error=error, schools=all_schools(), phases=phases)

    @blp.get("/schools")
    @auth.signed_in
    def schools():
        return schools_page()

    @blp.post("/schools")
    @auth.signed_in
    def add_school():
        body = _school_body(request.form)
        done, error = saved("POST", "identity", "/v1/schools", json=body, done=f"Added {body['name']}.",
                            to=url_for("admin.schools"))
        return done or schools_page(error)

    @blp.route("/schools/<school_id>", methods=["GET", "POST"])
    @auth.signed_in
    def school(school_id):
        found = auth.get("identity", f"/v1/schools/{school_id}")
        if request.method == "GET":
            return page("admin/school.html", school=found, phases=phases)
        body = {**_school_body(request.form), "status": request.form.get("status", found["status"])}
        done, error = saved("PATCH", "identity", f"/v1/schools/{school_id}", json=body, done=f"Saved {body['name']}.",
                            to=url_for("admin.schools"))
        return done or page("admin/school.html", error=error, school=found, phases=phases)

    @blp.route("/groups", methods=["GET", "POST"])
    @auth.signed_in
    def groups():
        error = None
        if request.method == "POST":
            body = _group_body(request.form)
            done, error = saved("POST", "identity", "/v1/groups", json=body, done=f"Created the group {body['name']}.",
                                to=url_for("admin.groups"))
            if done:
                return done
        schools = all_schools()
        names = {school["id"]: school["name"] for school in schools}
        return page("admin/groups.html", error=error, groups=auth.get("identity", "/v1/groups"), schools=schools,
                    names=names, chosen=set(request.form.getlist("school_ids")))

    @blp.route("/groups/<group_id>", methods=["GET", "POST"])
    @auth.signed_in
    def group(group_id):
        found = auth.get("identity", f"/v1/groups/{group_id}")
        error = None
        if request.method == "POST":
            body = _group_body(request.form)
            done, error = saved("PUT", "identity", f"/v1/groups/{group_id}", json=body,
                                done=f"Saved the group {body['name']}.", to=url_for("admin.groups"))
            if done:
                return done
        chosen = set(request.form.getlist("school_ids")) if request.method == "POST" else set(found["school_ids"])
        return page("admin/group.html", error=error, group=found, schools=all_schools(), chosen=chosen)

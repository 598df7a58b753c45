"""Observation forms and the frameworks they link to: the trust's frameworks and principles, and
the form designer (create a form, edit its draft, publish a version, retire the form, read an
older version).

The designer is one form: its buttons (add or remove a section or an item, move an item) post
it back and the page comes back with the change and everything typed kept; with JavaScript,
htmx swaps the page's content in place so the person keeps their place. Only "Save" writes.
"""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.pages.admin import designer
from canopy_web.lists import all_schools, page_number, school_names
from canopy_web.pages.admin.common import refused, school_choices, when
from canopy_web.views import notify, page

FRAMEWORKS_PAGE = 100
TEMPLATES_PAGE = 50


def _frameworks() -> list[dict]:
    return auth.get("observation", "/v1/frameworks", params={"page_size": FRAMEWORKS_PAGE})["items"]


def _published_items(framework: dict) -> list[dict]:
    """The items of a framework's newest published version: only those can be linked to."""
    if framework["status"] == "published":
        return framework["items"]
    published = [version["version"] for version in framework["versions"] if version.get("status") == "published"]
    if not published:
        return []
    return auth.get("observation", f"/v1/frameworks/{framework['id']}", params={"version": max(published)})["items"]


def principle_groups(frameworks: list[dict]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(framework name, [(item id, "code title")]) for the designer's "linked to" choice, the
    trust's own frameworks (its principles) before the national standards."""
    groups = []
    for framework in sorted(frameworks, key=lambda found: found["kind"] != "trust"):  # the trust's own first
        items = [(item["id"], f"{item['code']} {item['title']}") for item in _published_items(framework)]
        if items:
            groups.append((framework["name"], items))
    return groups


def _template_and_latest(template_id: str) -> tuple[dict, dict, str | None]:
    """The form, its newest version, and that version's ETag (which guards edits of a draft)."""
    template = auth.get("observation", f"/v1/templates/{template_id}")
    latest = max(version["version"] for version in template["versions"])
    answer = auth.call("GET", "observation", f"/v1/templates/{template_id}/versions/{latest}")
    return template, answer.json(), answer.headers.get("ETag")


def _refused_design(error: ApiError) -> dict:
    """A refusal as the designer shows it: the reasons on the designer's own fields, and a summary
    the page draws itself, naming each place as the person sees it ("Section 1, item 2, scale")."""
    refused(error)
    return {"design_error": ApiError(error.status, error.message, error.code, designer.fold_errors(error.errors)),
            "status": error.status}


def _designer_response(template: str, *, op: str, sections: list[dict], **context):
    """The designer after a button: the whole page (htmx takes its content)."""
    sections, focus = designer.apply(sections, op)
    return page(template, sections=sections, focus=focus, **context)


def add_routes(blp: Blueprint) -> None:

    def designer_context(**extra):
        frameworks = _frameworks()
        principles = principle_groups(frameworks)
        titles = {item_id: title for _, items in principles for item_id, title in items}
        return {"principles": principles, "principle_titles": titles, "kinds": designer.KIND_LABELS,
                "where": designer.where, **extra}

    @blp.get("/forms")
    @auth.signed_in
    def forms():
        templates = auth.get("observation", "/v1/templates",
                             params={"page": page_number(request.args.get("page")), "page_size": TEMPLATES_PAGE})
        frameworks = _frameworks()
        schools = school_names()
        return page("admin/forms.html", templates=templates, frameworks=frameworks, schools=schools, when=when)

    def framework_page(framework_id: str, version: int | None = None, **context):
        found = auth.get("observation", f"/v1/frameworks/{framework_id}", params={"version": version})
        latest = max(entry["version"] for entry in found["versions"])
        return page("admin/framework.html", framework=found, latest=latest, when=when,
                    items_text=designer.framework_items_text(found["items"]), **context)

    @blp.get("/frameworks/<framework_id>")
    @auth.signed_in
    def framework(framework_id):
        return framework_page(framework_id, request.args.get("version", type=int))

    @blp.route("/frameworks/new", methods=["GET", "POST"])
    @auth.signed_in
    def new_framework():
        if request.method == "GET":
            return page("admin/framework_new.html")
        body = {"key": request.form.get("key", "").strip(), "name": request.form.get("name", "").strip(),
                "items": designer.parse_framework_items(request.form.get("items", ""))}
        try:
            created = auth.post("observation", "/v1/frameworks", json=body)
        except ApiError as error:
            return page("admin/framework_new.html", **_refused_design(error), where=designer.where)
        notify(f"{body['name']} is saved as a draft (version 1). Publish it so that forms can link to its items.")
        return redirect(url_for("admin.framework", framework_id=created["id"]), code=303)

    @blp.post("/frameworks/<framework_id>/versions")
    @auth.signed_in
    def new_framework_version(framework_id):
        latest = auth.get("observation", f"/v1/frameworks/{framework_id}")
        items = designer.parse_framework_items(request.form.get("items", ""), latest["items"])
        try:
            drafted = auth.post("observation", f"/v1/frameworks/{framework_id}/versions", json={"items": items})
        except ApiError as error:
            return framework_page(framework_id, **_refused_design(error), where=designer.where)
        notify(f"Version {drafted['version']} is saved as a draft. Publish it to link forms to its items.")
        return redirect(url_for("admin.framework", framework_id=framework_id), code=303)

    @blp.post("/frameworks/<framework_id>/publish")
    @auth.signed_in
    def publish_framework(framework_id):
        try:
            published = auth.post("observation", f"/v1/frameworks/{framework_id}/publish")
        except ApiError as error:
            return framework_page(framework_id, error=refused(error))
        notify(f"Published version {published['version']}: forms can link to its items, and it never changes.")
        return redirect(url_for("admin.framework", framework_id=framework_id), code=303)

    @blp.route("/forms/new", methods=["GET", "POST"])
    @auth.signed_in
    def new_form():
        schools = all_schools()
        context = {"schools": schools, "school_options": school_choices(schools)}
        if request.method == "GET":
            return page("admin/form_new.html", sections=[designer.new_section()], chosen=set(), focus=None,
                        **designer_context(**context))
        sections = designer.from_form(request.form)
        chosen = set(request.form.getlist("shared_with_school_ids"))
        op = request.form.get("op", "save")
        if op != "save":
            return _designer_response("admin/form_new.html", op=op, sections=sections, chosen=chosen,
                                      **designer_context(**context))
        body = {"name": request.form.get("name", "").strip(),
                "owner_school_id": request.form.get("owner_school_id") or None,
                "shared_with_school_ids": sorted(chosen) if request.form.get("sharing") == "some" else None,
                **designer.to_definition(sections)}
        try:
            created = auth.post("observation", "/v1/templates", json=body)
        except ApiError as error:
            return page("admin/form_new.html", sections=sections, chosen=chosen, focus=None,
                        **_refused_design(error), **designer_context(**context))
        notify(f"The form {body['name']} is saved as a draft (version 1). Publish it when it is ready.")
        return redirect(url_for("admin.form", template_id=created["id"]), code=303)

    def form_page(template_id: str, error: ApiError | None = None):
        template = auth.get("observation", f"/v1/templates/{template_id}")
        schools = school_names()
        versions = sorted(template["versions"], key=lambda version: version["version"], reverse=True)
        return page("admin/form.html", error=error, observation_form=template, versions=versions, schools=schools,
                    when=when, draft=next((v for v in versions if v["status"] == "draft"), None))

    @blp.get("/forms/<template_id>")
    @auth.signed_in
    def form(template_id):
        return form_page(template_id)

    @blp.get("/forms/<template_id>/versions/<int:version>")
    @auth.signed_in
    def form_version(template_id, version):
        template = auth.get("observation", f"/v1/templates/{template_id}")
        found = auth.get("observation", f"/v1/templates/{template_id}/versions/{version}")
        titles = {item["id"]: f"{item['code']} {item['title']} ({framework['name']})"
                  for framework in _frameworks() for item in framework["items"]}
        return page("admin/form_version.html", observation_form=template, version=found, principle_titles=titles,
                    kinds=designer.KIND_LABELS, when=when)

    @blp.route("/forms/<template_id>/edit", methods=["GET", "POST"])
    @auth.signed_in
    def edit_form(template_id):
        template, latest, etag = _template_and_latest(template_id)
        context = {"observation_form": template, "latest": latest}
        if request.method == "GET":
            return page("admin/form_edit.html", sections=designer.from_definition(latest), etag=etag, focus=None,
                        **designer_context(**context))
        sections = designer.from_form(request.form)
        sent_etag = request.form.get("etag") or None
        op = request.form.get("op", "save")
        if op != "save":
            return _designer_response("admin/form_edit.html", op=op, sections=sections, etag=sent_etag,
                                      **designer_context(**context))
        # The ETag read with a draft guards it: someone else's save since then is answered 412.
        headers = {"If-Match": sent_etag} if sent_etag and latest["status"] == "draft" else None
        try:
            saved = auth.call("PUT", "observation", f"/v1/templates/{template_id}/draft",
                              json=designer.to_definition(sections), headers=headers).json()
        except ApiError as error:
            # After a 412 the page carries the newer ETag: saving again is choosing to replace theirs.
            return page("admin/form_edit.html", sections=sections, focus=None,
                        etag=etag if error.status == 412 else sent_etag, **_refused_design(error),
                        **designer_context(**context))
        notify(f"Saved the draft, version {saved['version']}. Publish it to use it for new records.")
        return redirect(url_for("admin.form", template_id=template_id), code=303)

    def form_action(template_id: str, action: str, done):
        """Publish or retire: the form's page again, saying what happened or why not."""
        try:
            answer = auth.post("observation", f"/v1/templates/{template_id}/{action}")
        except ApiError as error:
            return form_page(template_id, refused(error))
        notify(done(answer))
        return redirect(url_for("admin.form", template_id=template_id), code=303)

    @blp.post("/forms/<template_id>/publish")
    @auth.signed_in
    def publish_form(template_id):
        return form_action(template_id, "publish", lambda published: (
            f"Published version {published['version']}: new records use it; records on older versions keep theirs."))

    @blp.post("/forms/<template_id>/retire")
    @auth.signed_in
    def retire_form(template_id):
        return form_action(template_id, "retire",
                           lambda _: "The form is retired: no new records use it; existing records keep it.")

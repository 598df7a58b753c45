"""Recording a drop-in: whom and where one may observe, the form to fill, and sending it (from
the page, or replayed by the service worker)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, request, url_for

from canopy_kit.clock import now
from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.lists import all_schools, every_item
from canopy_web.pages.observations.form import (
    STEP_ROWS, _value, default_form, drop_in_body, error_labels, form_view, latest_published, parse_teacher,
    renumber_steps, teacher_value,
)
from canopy_web.people import active_staff, person_name
from canopy_web.views import notify, page

# The roles the observation service lets observe everyone at a school where they hold them, and
# those that may observe anyone in the trust. The service decides; these only choose whom to offer.
OBSERVER_ROLES = frozenset({"coach", "line_manager", "senior_leader", "headteacher"})
TRUST_OBSERVERS = frozenset({"trust_leader"})
# Sent by the service worker when it replays a kept drop-in: answered in JSON (no redirect, no
# notice), so the worker can tell sent, refused and signed-out apart.
REPLAY_HEADER = "X-Offline-Replay"
PRIVACY_CHOICES = (
    ("developmental", "Developmental",
     "For the teacher's development: only you, the teacher and those they choose see it; never in reports."),
    ("reportable", "Reportable",
     "Also read by the school's leaders and counted, without names, in the trust's reports."),
)


def _observable_schools() -> list[dict]:
    """Schools where the signed-in person may record a drop-in today, by name."""
    me = auth.principal()
    everywhere = me.has_role(TRUST_OBSERVERS | OBSERVER_ROLES)  # held at trust scope
    wanted = me.schools_with(OBSERVER_ROLES)
    if not everywhere and not wanted:
        return []
    return [s for s in all_schools() if s.get("status") != "closed" and (everywhere or s["id"] in wanted)]


def _teachers(school_id: str | None) -> list[tuple[str, str]]:
    """(value, name) of the people one may observe at the school, and one's appraisees elsewhere."""
    me = auth.principal().person_id
    people: dict[str, tuple[str, str]] = {}
    if school_id:
        for person in active_staff(school_id):
            if person["id"] != me:
                people[person["id"]] = (teacher_value(school_id, person["id"]), person_name(person))
    for person in every_item("identity", "/v1/me/appraisees"):
        # Line management is per school; the service works out which when there is one.
        people.setdefault(person["id"], (teacher_value(None, person["id"]), person_name(person)))
    return sorted(people.values(), key=lambda choice: choice[1].lower())


def _usable_forms(school_id: str | None) -> list[dict]:
    """The trust's forms usable at the school with a published version: name, id, version."""
    params = {"school_id": school_id} if school_id else {}
    forms = []
    for template in every_item("observation", "/v1/templates", params):
        version = latest_published(template)
        if template.get("status") == "active" and version is not None:
            forms.append({"id": template["id"], "name": template["name"], "version": version["version"],
                          "version_id": version["id"]})
    return forms


def _sections(form: dict | None) -> list[dict]:
    if form is None:
        return []
    return auth.get("observation", f"/v1/templates/{form['id']}/versions/{form['version']}")["sections"]


def add_routes(blp: Blueprint) -> None:
    @blp.get("/observations/new")
    @auth.signed_in
    def new_drop_in():
        return _drop_in_page(request.args, key=new_idempotency_key())

    @blp.post("/observations/new")
    @auth.signed_in
    def record_drop_in():
        return _record_drop_in()


def _drop_in_page(values: Any, *, key: str, error: ApiError | None = None):
    schools = _observable_schools()
    chosen_school, _ = parse_teacher(_value(values, "teacher"))
    school_ids = [s["id"] for s in schools]
    school_id = next((s for s in (_value(values, "school_id"), chosen_school) if s in school_ids),
                     school_ids[0] if school_ids else None)
    forms = _usable_forms(school_id)
    form = next((f for f in forms if f["id"] == _value(values, "template_id")), None) or default_form(forms)
    sections = _sections(form)
    context = dict(schools=schools, school_id=school_id, forms=forms, chosen=form,
                   parts=form_view(sections, values if request.method == "POST" else None, error),
                   today=now().date().isoformat(), key=key, step_rows=STEP_ROWS,
                   privacy_choices=PRIVACY_CHOICES, owner=auth.principal().person_id)
    target = request.headers.get("HX-Target") if request.headers.get("HX-Request") else None
    if target == "drop-in-items":  # the form was changed: only its items are drawn again
        return page("observations/_items.html", **context)
    context["teachers"] = _teachers(school_id)
    if target == "drop-in-setup":  # the school was changed: its staff and forms too
        return page("observations/_setup.html", **context)
    if error is None:
        return page("observations/new.html", **context)
    # The page's own summary names the items by their labels (the API names them by their ids);
    # the reasons beside the fields come from the same refusal.
    return page("observations/new.html", status=error.status, problem=error, problems=error_labels(error, sections),
                **context)


def _record_drop_in():
    replay = request.headers.get(REPLAY_HEADER) == "1"
    key = request.form.get("idempotency_key") or None
    form = _usable_form_of(request.form)
    sections = _sections(form)
    body, row_of = drop_in_body(request.form, sections, form["version_id"] if form else None)
    try:
        created = auth.call("POST", "observation", "/v1/records", json=body, idempotency_key=key).json()
    except ApiError as error:
        if error.status >= 500:
            raise  # the error page; a replaying worker keeps the drop-in and tries again later
        error = renumber_steps(error, row_of)
        if error.reason_for("school_id") and not error.reason_for("observee_id"):
            error.errors["observee_id"] = error.errors["school_id"]  # both are the teacher choice
        if replay:
            return jsonify(message=error.message, errors=error.errors), error.status
        return _drop_in_page(request.form, key=key or new_idempotency_key(), error=error)
    location = url_for("observations.record", record_id=created["id"])
    if replay:
        return jsonify(id=created["id"], url=location), 201
    notify("Drop-in saved." if body["share"] else "Drop-in saved as a draft: share it when you are ready.")
    return redirect(location, code=303)


def _usable_form_of(values: Any) -> dict | None:
    """The form version the drop-in was filled on (as the page sent it), with its template."""
    template_id, version_id = _value(values, "template_id"), _value(values, "template_version_id")
    if not template_id:
        return None
    try:
        template = auth.get("observation", f"/v1/templates/{template_id}")
    except ApiError as error:
        if error.status >= 500:
            raise
        return None
    version = next((v for v in template["versions"] if v["id"] == version_id), None)
    if version is None:
        return None
    return {"id": template["id"], "name": template["name"], "version": version["version"], "version_id": version["id"]}

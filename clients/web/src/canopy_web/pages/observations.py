"""Observations: the records about me and those I made, one record's page (its responses on the
form it was made with, the observer's notes, action steps, my response and acknowledgement, whom
I let see it), and recording a drop-in on a phone.

A drop-in is recorded where the Wi-Fi is poor, so its form is built to be filled without a page
load and, when sending it fails for want of a connection, the service worker (static/sw.js, served
at /sw.js) keeps the request on the device and sends it again later with the same
Idempotency-Key: however often it is sent, one record is made."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Mapping

from flask import Blueprint, current_app, jsonify, make_response, redirect, request, url_for

from canopy_kit.clock import now
from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.lists import all_schools, every_item, page_number
from canopy_web.people import active_staff, names_of, person_name
from canopy_web.views import APP_VERSION, notify, page

PAGE_SIZE = 20
# The roles the observation service lets observe everyone at a school where they hold them, and
# those that may observe anyone in the trust. The service decides; these only choose whom to offer.
OBSERVER_ROLES = frozenset({"coach", "line_manager", "senior_leader", "headteacher"})
TRUST_OBSERVERS = frozenset({"trust_leader"})
STEP_ROWS = 3  # action steps a drop-in offers (more are rare; the API takes up to 20)
# Sent by the service worker when it replays a kept drop-in: answered in JSON (no redirect, no
# notice), so the worker can tell sent, refused and signed-out apart.
REPLAY_HEADER = "X-Offline-Replay"
MULTIPLE_KINDS = ("multiple_choice", "checklist")
PRIVACY_CHOICES = (
    ("developmental", "Developmental",
     "For the teacher's development: only you, the teacher and those they choose see it; never in reports."),
    ("reportable", "Reportable",
     "Also read by the school's leaders and counted, without names, in the trust's reports."),
)


# ---- the form, from a template version's sections (pure: tested without a server) ---------------

def latest_published(template: Mapping[str, Any]) -> dict | None:
    """The version of a form new records use: its newest published one (a draft is not yet usable)."""
    published = [v for v in template.get("versions") or [] if v.get("status") == "published"]
    return max(published, key=lambda v: v["version"]) if published else None


def response_name(item_id: str) -> str:
    """The form field of an item: the API names its reasons ``responses.<item id>``."""
    return f"responses.{item_id}"


def dom_id(name: str) -> str:
    """The element id of a field, as the error summary's links make it (macros.html)."""
    return "field-" + name.replace(".", "-")


def choice_text(value: Any) -> str:
    """A scale point's or option's value as the form sends it: ``2.0`` as ``2``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(form: Any, name: str) -> list[str]:
    if hasattr(form, "getlist"):
        return [str(v) for v in form.getlist(name)]
    value = form.get(name) if form else None
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _value(form: Any, name: str) -> str:
    found = _values(form, name)
    return found[0] if found else ""


def _reason(error: ApiError | None, name: str) -> str | None:
    return error.reason_for(name) if error is not None else None


def form_view(sections: Iterable[Mapping[str, Any]], form: Any = None, error: ApiError | None = None) -> list[dict]:
    """The sections as the page draws them: each item with its field name, element id, what was
    chosen or typed (``form``, from the last attempt), and the API's reason if it named the item.
    An optional rating starts on "Not rated", so a mis-tap can be taken back."""
    filled = bool(form)
    view = []
    for section in sections:
        items = []
        for item in section["items"]:
            name = response_name(item["id"])
            kind = item["kind"]
            chosen = _values(form, name) if filled else []
            entry = {"id": item["id"], "name": name, "dom_id": dom_id(name), "kind": kind, "label": item["label"],
                     "help": item.get("help"), "required": bool(item.get("required")),
                     "reason": _reason(error, name), "multiple": kind in MULTIPLE_KINDS,
                     "value": chosen[0] if chosen else "", "min": item.get("min"), "max": item.get("max"),
                     "choices": []}
            points = item.get("scale") if kind == "rating" else item.get("options")
            if points:
                choices = [{"value": choice_text(p["value"]), "label": p["label"]} for p in points]
                if kind in ("rating", "single_choice") and not entry["required"]:
                    choices.insert(0, {"value": "", "label": "Not rated" if kind == "rating" else "None"})
                for index, choice in enumerate(choices):
                    choice["dom_id"] = f"{entry['dom_id']}-{index}"
                    choice["checked"] = (choice["value"] in chosen) if filled else (choice["value"] == "")
                entry["choices"] = choices
            items.append(entry)
        view.append({"title": section["title"], "fields": items})
    return view


def _number(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text  # sent as typed: the API says why it is not a number, beside the item
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def responses_from_form(sections: Iterable[Mapping[str, Any]], form: Any) -> dict[str, Any]:
    """Item id -> value for the API, in the types the form version expects: a rating's value is its
    scale point's (a number), checklists are lists; unanswered items are left out, so the API
    says which required one is missing."""
    responses: dict[str, Any] = {}
    for section in sections:
        for item in section["items"]:
            name, kind = response_name(item["id"]), item["kind"]
            if kind in MULTIPLE_KINDS:
                chosen = [v for v in dict.fromkeys(_values(form, name)) if v]
                if chosen:
                    responses[item["id"]] = chosen
                continue
            raw = _value(form, name).strip()
            if not raw:
                continue
            if kind == "rating":
                points = {choice_text(p["value"]): p["value"] for p in item.get("scale") or []}
                responses[item["id"]] = points.get(raw, raw)
            elif kind == "number":
                responses[item["id"]] = _number(raw)
            else:
                responses[item["id"]] = raw
    return responses


def steps_from_form(form: Any, rows: int = STEP_ROWS) -> tuple[list[dict], list[int]]:
    """The action steps typed, and for each the form row it came from (blank rows are skipped, so
    the API's ``action_steps.<n>`` is renumbered to the row it names: ``renumber_steps``)."""
    steps, row_of = [], []
    for row in range(rows):
        text = _value(form, f"action_steps.{row}.text").strip()
        due_on = _value(form, f"action_steps.{row}.due_on").strip()
        if text or due_on:
            steps.append({"text": text, "due_on": due_on or None})
            row_of.append(row)
    return steps, row_of


def renumber_steps(error: ApiError, row_of: list[int]) -> ApiError:
    """The API's reasons for ``action_steps.<n>.*`` moved to the form row that step was typed in."""
    renamed: dict[str, list[str]] = {}
    for name, reasons in error.errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "action_steps" and parts[1].isdigit() and int(parts[1]) < len(row_of):
            name = ".".join(["action_steps", str(row_of[int(parts[1])]), *parts[2:]])
        renamed.setdefault(name, []).extend(reasons)
    return dataclasses.replace(error, errors=renamed)


def teacher_value(school_id: str | None, person_id: str) -> str:
    """One choice of the teacher list: the person and the school the drop-in is at."""
    return f"{school_id or ''}/{person_id}"


def parse_teacher(value: str) -> tuple[str | None, str | None]:
    school_id, _, person_id = (value or "").partition("/")
    return (school_id or None), (person_id or None)


def drop_in_body(form: Any, sections: Iterable[Mapping[str, Any]], version_id: str | None) -> tuple[dict, list[int]]:
    """The API's body for ``POST /v1/records`` from the drop-in form. The same form gives the same
    body, byte for byte once serialised, so a replay with its Idempotency-Key is the same request."""
    school_id, person_id = parse_teacher(_value(form, "teacher"))
    steps, row_of = steps_from_form(form)
    body: dict[str, Any] = {"kind": "drop_in", "school_id": school_id,
                            "responses": responses_from_form(sections, form), "action_steps": steps,
                            "share": _value(form, "share") == "yes"}
    for name, value in (("observee_id", person_id), ("template_version_id", version_id),
                        ("observed_on", _value(form, "observed_on").strip()),
                        ("privacy", _value(form, "privacy"))):
        if value:
            body[name] = value  # a missing one is left out: the API says it is required, beside it
    for name in ("strengths", "class_name", "subject", "year_group"):
        text = _value(form, name).strip()
        if text:
            body[name] = text
    return body, row_of


def error_labels(error: ApiError | None, sections: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(element id, what it is called on the page, reasons) for each field a refusal names."""
    if error is None:
        return []
    labels = {response_name(item["id"]): item["label"] for section in sections for item in section["items"]}
    labels.update({"observee_id": "Teacher", "school_id": "Teacher", "template_version_id": "Form",
                   "observed_on": "Date", "privacy": "Who may read it", "strengths": "Notes for the teacher",
                   "class_name": "Class", "subject": "Subject", "year_group": "Year group"})
    found = []
    for name, reasons in error.errors.items():
        if name == "school_id" and "observee_id" in error.errors:
            continue  # shown once, as the teacher's
        label = labels.get(name)
        if label is None and name.startswith("action_steps."):
            parts = name.split(".")
            label = f"Action step {int(parts[1]) + 1}" if len(parts) > 1 and parts[1].isdigit() else "Action steps"
        target = "observee_id" if name == "school_id" else name
        found.append((dom_id(target), label or name.replace("_", " "), "; ".join(reasons)))
    return found


def default_form(forms: list[dict]) -> dict | None:
    """The form a drop-in starts on: the trust's drop-in form where there is one."""
    for form in forms:
        if "drop-in" in form["name"].lower() or "drop in" in form["name"].lower():
            return form
    return forms[0] if forms else None


# ---- reading the APIs -----------------------------------------------------------------------------

def _forms_by_version() -> dict[str, dict]:
    """Every form version of the trust -> its form's name and version number (one call a page)."""
    found = {}
    for template in every_item("observation", "/v1/templates"):
        for version in template["versions"]:
            found[version["id"]] = {"name": template["name"], "version": version["version"]}
    return found


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


# ---- the pages ------------------------------------------------------------------------------------

def blueprint() -> Blueprint:
    blp = Blueprint("observations", __name__)

    @blp.get("/sw.js")
    def service_worker():
        """The service worker, at the root so that its scope is the whole site (it keeps drop-ins
        sent offline and replays them). Its text carries the static files' version, so a new
        release installs a new worker."""
        text = (Path(current_app.static_folder) / "sw.js").read_text(encoding="utf-8")
        response = make_response(text.replace("__APP_VERSION__", APP_VERSION))
        response.headers["Content-Type"] = "text/javascript; charset=utf-8"
        response.headers["Service-Worker-Allowed"] = "/"
        response.headers["Cache-Control"] = "no-cache"
        return response

    @blp.get("/observations")
    @auth.signed_in
    def mine():
        return _list_page("observee_id", "observations/mine.html")

    @blp.get("/observations/made")
    @auth.signed_in
    def made():
        return _list_page("observer_id", "observations/made.html")

    @blp.get("/observations/new")
    @auth.signed_in
    def new_drop_in():
        return _drop_in_page(request.args, key=new_idempotency_key())

    @blp.post("/observations/new")
    @auth.signed_in
    def record_drop_in():
        return _record_drop_in()

    @blp.get("/observations/<record_id>")
    @auth.signed_in
    def record(record_id):
        return _record_page(record_id)

    @blp.post("/observations/<record_id>/acknowledge")
    @auth.signed_in
    def acknowledge(record_id):
        response = request.form.get("response", "").strip() or None
        return _change(record_id, f"/v1/records/{record_id}/acknowledge", {"response": response},
                       "Acknowledged." if response is None else "Your response is saved and the record acknowledged.")

    @blp.post("/observations/<record_id>/share")
    @auth.signed_in
    def share(record_id):
        return _change(record_id, f"/v1/records/{record_id}/share", None, "Shared with the teacher.")

    @blp.post("/observations/<record_id>/shares")
    @auth.signed_in
    def let_see(record_id):
        # A colleague chosen from the list, or named by their work email (a teacher may not list the
        # directory, so for them the email is the only way).
        chosen = request.form.get("person_id", "").strip()
        body = {"person_id": chosen} if chosen else {"email": request.form.get("email", "").strip()}
        return _change(record_id, f"/v1/records/{record_id}/shares", body, "Your colleague can now see this record.")

    @blp.post("/observations/<record_id>/action-steps/<step_id>/complete")
    @auth.signed_in
    def complete_step(record_id, step_id):
        return _change(record_id, f"/v1/records/{record_id}/action-steps/{step_id}/complete", {},
                       "Action step marked complete.")

    return blp


def _list_page(role: str, template: str):
    me = auth.principal().person_id
    result = auth.get("observation", "/v1/records",
                      params={role: me, "page": page_number(request.args.get("page")), "page_size": PAGE_SIZE})
    other = "observer_id" if role == "observee_id" else "observee_id"
    names = names_of({r[other] for r in result["items"]}, [r["school_id"] for r in result["items"]])
    forms = _forms_by_version() if result["items"] else {}
    return page(template, result=result, names=names, forms=forms, other=other,
                observer_roles=OBSERVER_ROLES | TRUST_OBSERVERS)


def _record_page(record_id: str, error: ApiError | None = None):
    record = auth.get("observation", f"/v1/records/{record_id}")
    me = auth.principal().person_id
    observee = record["observee_id"] == me
    ids = {record["observer_id"], record["observee_id"], *record["shared_with"]}
    names = dict(record.get("names") or {})  # the record names its people: no directory look-up
    if not ids <= set(names):
        names.update(names_of(ids - set(names), [record["school_id"]]))
    colleagues = []
    if observee and record["status"] != "draft":
        excluded = {me, record["observer_id"], *record["shared_with"]}
        colleagues = sorted(((p["id"], person_name(p)) for p in active_staff(pages=1) if p["id"] not in excluded),
                            key=lambda choice: choice[1].lower())
    return page("observations/record.html", error=error, record=record, names=names, colleagues=colleagues,
                is_observee=observee, is_observer=record["observer_id"] == me)


def _change(record_id: str, path: str, body: dict | None, done: str):
    try:
        auth.call("POST", "observation", path, json=body)
    except ApiError as error:
        if error.status >= 500:
            raise
        return _record_page(record_id, error=error)
    notify(done)
    return redirect(url_for("observations.record", record_id=record_id), code=303)


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

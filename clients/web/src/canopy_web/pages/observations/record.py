"""One record's page: its responses on the form it was made with, the observer's notes, action
steps, the teacher's response and acknowledgement, and whom the teacher lets see it."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.people import active_staff, names_of, person_name
from canopy_web.views import notify, page


def add_routes(blp: Blueprint) -> None:
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

"""One activity (an INSET day, a trust session) assigned to many people at once ("flood fill")."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.forms import given, number_or_text, texts
from canopy_web.labels import ACTIVITY_TYPE_LABELS, DELIVERY_LABELS
from canopy_web.lists import school_names
from canopy_web.pages.cpd.common import SERVICE, deciding_schools, runs_programme
from canopy_web.people import active_staff, person_name
from canopy_web.views import notify, page


def assignment_body(form) -> dict[str, Any]:
    """The flood-fill form as the API's assignment: one activity, everyone ticked."""
    body: dict[str, Any] = texts(form, ("title", "activity_type", "delivery", "starts_on", "ends_on"),
                                 optional=("provider", "school_id"))
    body["ends_on"] = body["ends_on"] or body["starts_on"]  # a one-day activity, as most are
    body["hours"] = number_or_text(form.get("hours"))
    body["cost"] = number_or_text(form.get("cost")) or 0
    body["cover_needed"] = form.get("cover_needed") == "yes"
    body["person_ids"] = list(dict.fromkeys(form.getlist("person_ids")))
    return given(body)


def add_routes(blp: Blueprint) -> None:
    @blp.route("/programme/assign", methods=["GET", "POST"])
    @auth.signed_in
    def assign():
        """One activity (an INSET day, a trust session) recorded for many people at once."""
        principal = auth.principal()
        schools = school_names()
        allowed = set(schools) if runs_programme(principal) else deciding_schools(principal)
        choices = sorted(((s, schools.get(s, "A school")) for s in allowed), key=lambda c: c[1])
        school = request.values.get("staff_of", "")
        school = school if school in allowed else (choices[0][0] if len(choices) == 1 else "")
        staff = []
        if school:
            staff = sorted(active_staff(school), key=lambda p: (p.get("family_name", ""), p.get("given_name", "")))
        context = dict(choices=choices, school=school, staff=staff, types=ACTIVITY_TYPE_LABELS,
                       deliveries=DELIVERY_LABELS, person_name=person_name)
        if request.method == "GET":
            return page("cpd/assign.html", key=new_idempotency_key(), ticked=set(), **context)
        ticked = set(request.form.getlist("person_ids"))
        try:
            ids = auth.post(SERVICE, "/v1/activities/assignments", json=assignment_body(request.form),
                            idempotency_key=request.form.get("idempotency_key"))["ids"]
        except ApiError as error:
            if not error.is_refusal:
                raise
            return page("cpd/assign.html", error=error, key=request.form.get("idempotency_key"), ticked=ticked,
                        **context)
        count = len(ids)
        notify(f"“{request.form.get('title', '').strip()}” is recorded for {count} {'person' if count == 1 else 'people'}.")
        return redirect(url_for("cpd.programme"), code=303)

"""The trust's people: find someone, add someone, and on their page their employments (start,
end, transfer, leave), role grants, line managers and account (invite, disable, enable).

Every form on a person's page posts to its own address; a refusal shows the person's page again
with the API's reasons beside the fields of the form that was sent (``failed`` names it).
"""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError, new_idempotency_key
from canopy_web.labels import in_words
from canopy_web.lists import all_schools, page_number
from canopy_web.pages.admin.common import (
    ACCOUNT_STATUSES, ROLES, STAFF_CATEGORIES, local_refusal, merged, refused, saved, school_choices, scope_choices,
    scope_label, split_scope, today,
)
from canopy_web.people import names_of, person_name
from canopy_web.views import notify, page

PAGE_SIZE = 25
ACCOUNT_ACTIONS = ("account.invited", "account.disabled")  # the latest of each is shown on the page
# The rows a person's page ends on a day: (address below the person, endpoint, API path, what to say).
ENDINGS = (("employments", "end_employment", "/v1/employments/{}/end", "The employment is ended."),
           ("grants", "end_grant", "/v1/role-grants/{}/end", "The role is ended."),
           ("line-managers", "end_manager", "/v1/line-managers/{}/end", "The line management is ended."))


def _optional(value: str | None):
    """A blank form value as the API's "not given" (null), anything else as typed."""
    value = (value or "").strip()
    return value or None


def _employment_body(form, prefix: str = "") -> dict:
    body = {"school_id": form.get(f"{prefix}school_id", ""), "job_title": form.get(f"{prefix}job_title", "").strip(),
            "staff_category": form.get(f"{prefix}staff_category", ""),
            "starts_on": _optional(form.get(f"{prefix}starts_on")), "ends_on": _optional(form.get(f"{prefix}ends_on"))}
    if _optional(form.get(f"{prefix}fte")):
        body["fte"] = form[f"{prefix}fte"].strip()
    return body


def _current(rows: list[dict], end: str, on: str) -> list[dict]:
    return [row for row in rows if not row.get(end) or row[end] >= on]


def _latest_account_events(person_id: str) -> dict[str, dict]:
    found = {}
    for action in ACCOUNT_ACTIONS:
        entries = auth.get("identity", "/v1/audit", params={"subject_id": person_id, "action": action,
                                                           "page_size": 1})["items"]
        if entries:
            found[action] = entries[0]
    return found


def _manager_id(email: str) -> str:
    """The person with exactly this email, or a refusal beside the email field."""
    email = email.strip().lower()
    if not email:
        raise local_refusal("manager_email", "give the line manager's email")
    for person in auth.get("identity", "/v1/people", params={"q": email, "page_size": 10})["items"]:
        if person["email"].lower() == email:
            return person["id"]
    raise local_refusal("manager_email", "no one you can see in the trust has this email")


def add_routes(blp: Blueprint) -> None:
    categories, roles = in_words(STAFF_CATEGORIES), in_words(ROLES)

    def person_page(person_id: str, *, error: ApiError | None = None, failed: str | None = None):
        person = auth.get("identity", f"/v1/people/{person_id}")
        schools, groups = all_schools(), auth.get("identity", "/v1/groups")
        on = today()
        return page(
            "admin/person.html", error=error, failed=failed, person=person, today=on,
            employments=sorted(person["employments"], key=lambda job: job["starts_on"], reverse=True),
            current_jobs=_current(person["employments"], "ends_on", on),
            grants=sorted(person["roles"], key=lambda grant: grant["valid_from"], reverse=True),
            current_grants={grant["id"] for grant in _current(person["roles"], "valid_to", on)},
            managers=sorted(person["line_managers"], key=lambda row: row["starts_on"], reverse=True),
            current_managers={row["id"] for row in _current(person["line_managers"], "ends_on", on)},
            manager_names=names_of(row["manager_id"] for row in person["line_managers"]),
            school_names={school["id"]: school["name"] for school in schools},
            group_names={group["id"]: group["name"] for group in groups},
            scope_label=scope_label, roles=roles,
            scopes=scope_choices(auth.principal().trust_id, schools, groups),
            schools=school_choices(schools), account=_latest_account_events(person_id))

    def act(person_id: str, failed: str, method: str, path: str, done: str, shown=lambda error: error, **options):
        """One change from a person's page: done, or the page again with the reasons (``shown``
        puts those of API fields the form does not have beside the form's own)."""
        finished, error = saved(method, "identity", path, done=done, to=url_for("admin.person", person_id=person_id),
                                **options)
        return finished or person_page(person_id, error=shown(error), failed=failed)

    def ending(path: str, done: str):
        """A view that ends one row (employment, grant, line management) on the day its form gives."""
        @auth.signed_in
        def end(person_id, row_id):
            # The API names the row's own end (valid_to, ends_on) when the day does not fit it.
            return act(person_id, f"end-{row_id}", "POST", path.format(row_id), done,
                       shown=lambda error: merged(error, "on", ("on", "valid_to", "ends_on")),
                       json={"on": _optional(request.form.get("on"))})
        return end

    for segment, endpoint, path, done in ENDINGS:
        blp.add_url_rule(f"/people/<person_id>/{segment}/<row_id>/end", endpoint, ending(path, done), methods=["POST"])

    @blp.get("/people")
    @auth.signed_in
    def people():
        filters = {name: request.args.get(name, "").strip() for name in ("q", "school_id", "role", "status")}
        found = auth.get("identity", "/v1/people", params={**filters, "page": page_number(request.args.get("page")),
                                                          "page_size": PAGE_SIZE})
        return page("admin/people.html", found=found, filters=filters, form=filters, roles=roles,
                    schools=school_choices(all_schools(), open_only=False),
                    statuses=in_words(ACCOUNT_STATUSES),
                    searched=any(filters.values()))

    @blp.route("/people/new", methods=["GET", "POST"])
    @auth.signed_in
    def new_person():
        schools = school_choices(all_schools())
        if request.method == "GET":
            return page("admin/person_new.html", key=new_idempotency_key(), schools=schools, categories=categories)
        form = request.form
        body = {"given_name": form.get("given_name", "").strip(), "family_name": form.get("family_name", "").strip(),
                "preferred_name": _optional(form.get("preferred_name")), "email": form.get("email", "").strip(),
                "invite": form.get("invite") == "yes"}
        if form.get("employment.school_id"):
            body["employment"] = _employment_body(form, "employment.")
        try:
            created = auth.post("identity", "/v1/people", json=body, idempotency_key=form.get("idempotency_key"))
        except ApiError as error:
            return page("admin/person_new.html", error=refused(error), key=form.get("idempotency_key"),
                        schools=schools, categories=categories)
        notify(f"Added {body['given_name']} {body['family_name']}." + (" The invitation is sent." if body["invite"]
                                                                       else ""))
        return redirect(url_for("admin.person", person_id=created["id"]), code=303)

    @blp.get("/people/<person_id>")
    @auth.signed_in
    def person(person_id):
        return person_page(person_id)

    @blp.route("/people/<person_id>/employments/new", methods=["GET", "POST"])
    @auth.signed_in
    def start_employment(person_id):
        found = auth.get("identity", f"/v1/people/{person_id}")
        schools = school_choices(all_schools())
        error = None
        if request.method == "POST":
            done, error = saved("POST", "identity", f"/v1/people/{person_id}/employments",
                                json=_employment_body(request.form), done="The employment is recorded.",
                                to=url_for("admin.person", person_id=person_id))
            if done:
                return done
        return page("admin/employment_new.html", error=error, person=found, schools=schools, categories=categories,
                    today=today())

    @blp.route("/people/<person_id>/transfer", methods=["GET", "POST"])
    @auth.signed_in
    def transfer(person_id):
        found = auth.get("identity", f"/v1/people/{person_id}")
        jobs = [(job["id"], f"{job['job_title']}, {job['school_name']}")
                for job in _current(found["employments"], "ends_on", today())]
        error = None
        if request.method == "POST":
            form = request.form
            body = {"from_employment_id": form.get("from_employment_id", ""),
                    "to_school_id": form.get("to_school_id", ""),
                    "effective_on": _optional(form.get("effective_on")), "job_title": _optional(form.get("job_title")),
                    "staff_category": _optional(form.get("staff_category")), "fte": _optional(form.get("fte"))}
            done, error = saved("POST", "identity", f"/v1/people/{person_id}/transfers", json=body,
                                done=f"{person_name(found)} is moved; their history goes with them.",
                                to=url_for("admin.person", person_id=person_id))
            if done:
                return done
        return page("admin/transfer.html", error=error, person=found, jobs=jobs, categories=categories,
                    schools=school_choices(all_schools()), today=today())

    @blp.post("/people/<person_id>/leave")
    @auth.signed_in
    def leave(person_id):
        return act(person_id, "leave", "POST", f"/v1/people/{person_id}/leave",
                   "The leaver is recorded: their employments, roles and line management end, and they can no "
                   "longer sign in.", json={"last_day": _optional(request.form.get("last_day"))})

    @blp.post("/people/<person_id>/grants")
    @auth.signed_in
    def grant(person_id):
        scope_type, scope_id = split_scope(request.form.get("scope", ""))
        body = {"person_id": person_id, "role": request.form.get("role", ""), "scope_type": scope_type,
                "scope_id": scope_id, "valid_from": _optional(request.form.get("valid_from")),
                "valid_to": _optional(request.form.get("valid_to"))}
        return act(person_id, "grant", "POST", "/v1/role-grants", f"Granted {body['role'].replace('_', ' ')}.",
                   shown=lambda error: merged(error, "scope", ("scope_type", "scope_id")), json=body)

    @blp.post("/people/<person_id>/line-managers")
    @auth.signed_in
    def assign_manager(person_id):
        try:
            manager_id = _manager_id(request.form.get("manager_email", ""))
        except ApiError as error:
            return person_page(person_id, error=refused(error), failed="line-manager")
        body = {"person_id": person_id, "manager_id": manager_id, "school_id": request.form.get("school_id", ""),
                "starts_on": _optional(request.form.get("starts_on"))}
        return act(person_id, "line-manager", "POST", "/v1/line-managers", "The line manager is assigned.",
                   shown=lambda error: merged(error, "manager_email", ("manager_id",)), json=body)

    @blp.post("/people/<person_id>/invite")
    @auth.signed_in
    def invite(person_id):
        return act(person_id, "invite", "POST", f"/v1/people/{person_id}/invitations",
                   "The invitation is sent: a one-time link to set a password.")

    @blp.post("/people/<person_id>/disable")
    @auth.signed_in
    def disable(person_id):
        return act(person_id, "disable", "POST", f"/v1/people/{person_id}/disable",
                   "The account is disabled: they are signed out everywhere and cannot sign in.",
                   json={"reason": request.form.get("reason", "").strip()})

    @blp.post("/people/<person_id>/enable")
    @auth.signed_in
    def enable(person_id):
        return act(person_id, "enable", "POST", f"/v1/people/{person_id}/enable",
                   "The account is enabled again.")

"""Everyone's pages: sign in and out, accept an invitation, reset a password, my profile and
schools, and who read my records."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.views import notify, page

# The services that keep an access log of reads of the person's records (GET /v1/me/access-log).
ACCESS_LOGGED = ("portfolio", "observation")
# What each kind of record read is called on the page (the logs name them "service.kind").
RECORD_KINDS = {"portfolio.activity": "CPD activity", "portfolio.evidence": "Evidence",
                "observation.record": "Observation"}


def blueprint() -> Blueprint:
    blp = Blueprint("account", __name__)

    @blp.route("/sign-in", methods=["GET", "POST"])
    def sign_in():
        target = auth.safe_next(request.values.get("next"))
        if request.method == "GET":
            session = auth.current_session()
            if session is not None and session.signed_in:
                return redirect(target or url_for("home.home"))
            return page("account/sign_in.html", next=target)
        body = {"email": request.form.get("email", "").strip(), "password": request.form.get("password", "")}
        if request.form.get("trust", "").strip():
            body["trust"] = request.form["trust"].strip()
        try:
            answer = auth.gateway().call("POST", "identity", "/v1/auth/login", json=body,
                                         forwarded=auth.forwarded_headers())
        except ApiError as error:
            return page("account/sign_in.html", error=error, next=target, needs_trust=error.status == 409)
        tokens = auth.tokens_of(answer.json())
        auth.begin_signed_in(auth.subject_of(tokens.access), tokens)
        return redirect(target or url_for("home.home"), code=303)

    @blp.post("/sign-out")
    def sign_out():
        session = auth.current_session()
        if session is not None and session.signed_in:
            try:
                auth.gateway().call("POST", "identity", "/v1/auth/logout",
                                    json={"refresh_token": session.tokens.refresh}, forwarded=auth.forwarded_headers())
            except ApiError:
                pass  # the session ends here whatever identity says; the refresh token expires anyway
        auth.end_session()
        return redirect(url_for("account.sign_in"), code=303)

    @blp.route("/accept-invitation", methods=["GET", "POST"])
    def accept_invitation():
        return _set_password("/v1/auth/invitations/accept", "account/accept_invitation.html",
                             "Your password is set. Sign in with your email and the new password.")

    @blp.route("/reset-password", methods=["GET", "POST"])
    def reset_password():
        if request.method == "GET" and not request.args.get("token"):
            return page("account/request_reset.html")
        if request.method == "POST" and "token" not in request.form:
            email = request.form.get("email", "").strip()
            try:
                auth.gateway().call("POST", "identity", "/v1/auth/password-reset", json={"email": email},
                                    forwarded=auth.forwarded_headers())
            except ApiError as error:
                return page("account/request_reset.html", error=error)
            return page("account/reset_sent.html", email=email)
        return _set_password("/v1/auth/password-reset/confirm", "account/reset_password.html",
                             "Your password is changed. Sign in with the new password.")

    @blp.get("/me")
    @auth.signed_in
    def profile():
        return page("account/profile.html", me=auth.get("identity", "/v1/me"))

    @blp.post("/me/password")
    @auth.signed_in
    def change_password():
        body = {"current_password": request.form.get("current_password", ""),
                "new_password": request.form.get("new_password", "")}
        try:
            auth.call("POST", "identity", "/v1/me/password", json=body)
        except ApiError as error:
            if error.status >= 500:
                raise
            return page("account/profile.html", me=auth.get("identity", "/v1/me"), error=error)
        notify("Your password is changed.")
        return redirect(url_for("account.profile"), code=303)

    @blp.get("/me/access")
    @auth.signed_in
    def access_log():
        entries, unavailable = [], []
        for service in ACCESS_LOGGED:
            try:
                found = auth.get(service, "/v1/me/access-log", params={"page_size": 100})
            except ApiError as error:
                if error.status < 500:
                    raise
                unavailable.append(service)
                continue
            entries += [{**entry, "service": service} for entry in found["items"]]
        entries.sort(key=lambda entry: entry["at"], reverse=True)
        # Each service names the readers from its staff directory: a teacher may not look up
        # their head in identity, but may know that the head read their records.
        names = {entry["reader_id"]: entry["reader_name"] for entry in entries if entry.get("reader_name")}
        return page("account/access_log.html", entries=entries, names=names, unavailable=unavailable,
                    kinds=RECORD_KINDS)

    return blp


def _set_password(path: str, template: str, done: str):
    token = request.values.get("token", "")
    if request.method == "GET":
        return page(template, token=token)
    try:
        auth.gateway().call("POST", "identity", path, json={"token": token, "password": request.form.get("password", "")},
                            forwarded=auth.forwarded_headers())
    except ApiError as error:
        return page(template, token=token, error=error)
    auth.ensure_session()
    notify(done)
    return redirect(url_for("account.sign_in"), code=303)


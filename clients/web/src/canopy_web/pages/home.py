"""The first page after sign-in: what is waiting for this person, and where their work is."""
from __future__ import annotations

from flask import Blueprint

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.views import page


def blueprint() -> Blueprint:
    blp = Blueprint("home", __name__)

    @blp.get("/")
    @auth.signed_in
    def home():
        me = auth.get("identity", "/v1/me")
        try:
            due = auth.get("portfolio", "/v1/me/evaluations/due")
        except ApiError as error:
            if error.status < 500:
                raise
            due = None  # the page still serves; the card says portfolio is not answering
        return page("home/home.html", me=me, due=due)

    return blp

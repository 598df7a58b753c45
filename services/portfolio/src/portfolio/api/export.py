"""A person's whole portfolio, to keep or take anywhere: JSON or a readable page."""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.request_uow import current_uow
from portfolio import access
from portfolio.export import portfolio_data, portfolio_html


class ExportArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "html")))


def blueprint() -> Blueprint:
    blp = Blueprint("export", __name__, url_prefix="/v1", description="Portfolio export")

    @blp.route("/people/<person_id>/portfolio/export", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, description="The whole portfolio: JSON, or an HTML page to read or print")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def export(args, person_id):
        """Everything in one's own portfolio, from every school, at any time."""
        access.require_owner(person_id)
        data = portfolio_data(current_uow().session, person_id, current_principal().trust_id)
        if args["format"] == "html":
            return Response(portfolio_html(data), mimetype="text/html")
        return data

    return blp

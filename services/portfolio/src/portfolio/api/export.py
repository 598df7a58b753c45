"""A person's whole portfolio, to keep or take anywhere: JSON or a readable page."""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.auth import authenticated
from canopy_kit.web.docs import error_responses, other_content
from canopy_kit.web.request_uow import current_uow
from portfolio import queries
from portfolio.api import caller
from portfolio.api.export_page import portfolio_html


Rows = lambda description: fields.List(fields.Dict(), required=True,  # noqa: E731
                                       metadata={"description": description})


class PortfolioExportSchema(Schema):
    """Every row of the person's portfolio, as stored, from every school."""
    person_id = fields.String(required=True)
    activities = Rows("CPD activities, oldest first")
    evaluations = Rows("impact evaluations, by due date")
    evidence = Rows("evidence (files are named, not included)")
    requests = Rows("CPD requests and their decisions")
    bookings = Rows("bookings on the trust's programme")


class ExportArgs(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "html")))


def blueprint() -> Blueprint:
    blp = Blueprint("export", __name__, url_prefix="/v1", description="Portfolio export")

    @blp.route("/people/<person_id>/portfolio/export", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, PortfolioExportSchema, description="The whole portfolio: JSON, or an HTML page to read or print")
    @other_content(blp, "text/html", "format=html: the portfolio as a page to read or print")
    @error_responses(blp, 403, 404)
    def export(args, person_id):
        """Everything in one's own portfolio, from every school, at any time."""
        me = caller()
        me.require_owner(person_id)
        data = queries.portfolio_export(current_uow().session, person_id, me.trust_id)
        if args["format"] == "html":
            return Response(portfolio_html(data), mimetype="text/html")
        return data

    return blp

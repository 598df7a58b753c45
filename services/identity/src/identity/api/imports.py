"""Bulk staff import from CSV: checked in full first; applied all or nothing."""
from __future__ import annotations

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.errors import BadRequest, Invalid
from canopy_kit.web.docs import error_responses
from canopy_kit.web.request_uow import current_uow
from identity import access
from identity.importer import COLUMNS, REQUIRED_COLUMNS, run_import

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "check and count, write nothing"})


class ImportReportSchema(Schema):
    valid = fields.Boolean(required=True)
    applied = fields.Boolean(required=True)
    rows = fields.Integer(required=True)
    changes = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    problems = fields.List(fields.Dict(), required=True)


def _csv_body() -> bytes:
    request.max_content_length = MAX_IMPORT_BYTES  # a trust's staff list is larger than an ordinary body
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        raise BadRequest("send the CSV as the request body (text/csv) or as a form file named 'file'",
                         errors={"file": ["missing"]})
    return data


def blueprint() -> Blueprint:
    blp = Blueprint("imports", __name__, url_prefix="/v1/imports", description="Bulk staff import")

    @blp.route("/staff", methods=["POST"])
    @authenticated(blp)
    @blp.arguments(ImportArgs, location="query")
    @blp.response(200, ImportReportSchema)
    @error_responses(blp, 403, 413, (422, "Rows with problems: ``errors.rows`` lists line, field and reason; "
                                          "nothing written"))
    @blp.doc(requestBody={"required": True, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string",
                                                                                      "format": "binary"}}}}},
        "description": f"UTF-8 CSV. Required columns: {', '.join(REQUIRED_COLUMNS)}. All columns: {', '.join(COLUMNS)}. "
                       "One row per employment; roles separated by ';'."})
    def import_staff(args):
        """People, employments, roles and line managers from a CSV. Every row is checked first;
        if any has a problem nothing is written. Importing the same file again changes nothing."""
        access.require_staff_importer(request_permissions())
        principal = current_principal()
        report = run_import(current_uow(), _csv_body(), trust_id=principal.trust_id, actor_id=principal.person_id,
                            dry_run=args["dry_run"])
        if not report.valid:
            count = len({p.line for p in report.problems})
            raise Invalid(f"{count} line(s) of the file have problems; nothing was imported",
                          errors={"rows": report.to_dict()["problems"]})
        return report.to_dict()

    return blp

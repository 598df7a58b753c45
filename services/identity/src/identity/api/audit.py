"""The security audit log: sign-ins, failed sign-ins, grants, disables, imports."""
from __future__ import annotations

import json

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.web.docs import error_responses
from canopy_kit.web.errors import ApiError
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.ids import TrustId
from canopy_kit.web.pagination import page_schema, paginate
from canopy_kit.web.request_uow import current_uow
from identity.db import audit_log
from identity.directory import permissions


class AuditQuerySchema(Schema):
    action = fields.String(validate=validate.Length(max=64))
    subject_id = TrustId("audit_subject", metadata={"description": "the person or school concerned"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEntrySchema(Schema):
    id = fields.String(required=True)
    at = UtcDateTime(required=True)
    actor_id = fields.String(allow_none=True)
    action = fields.String(required=True)
    subject_id = fields.String(allow_none=True)
    client = fields.String(allow_none=True)
    details = fields.Method("_details")

    def _details(self, row):
        return json.loads(row["details"])


def blueprint() -> Blueprint:
    blp = Blueprint("audit", __name__, url_prefix="/v1/audit", description="Security audit log")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, page_schema(AuditEntrySchema))
    @error_responses(blp, 403, 404)
    def list_entries(args):
        """Newest first, for trust admins; filter by action or by the person concerned."""
        if permissions().schools_for("audit.read") is not None:
            raise ApiError(403, "only a trust admin may read the audit log")
        query = select(audit_log).where(audit_log.c.trust_id == current_principal().trust_id)
        if args.get("action"):
            query = query.where(audit_log.c.action == args["action"])
        if args.get("subject_id"):
            query = query.where(audit_log.c.subject_id == args["subject_id"])
        return paginate(current_uow().session, query.order_by(audit_log.c.at.desc(), audit_log.c.id), args,
                        scalars=False)

    return blp

"""The security audit log: sign-ins, failed sign-ins, grants, disables, imports."""
from __future__ import annotations

import json

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from canopy_kit.web.auth import authenticated, current_principal, request_permissions
from canopy_kit.db.pages import paginate
from canopy_kit.web.docs import error_responses
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.ids import TrustId
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_uow
from identity import access, queries


class AuditFilters(Schema):
    action = fields.String(validate=validate.Length(max=64))
    subject_id = TrustId("audit_subject", metadata={"description": "the person or school concerned"})


class AuditQuerySchema(PageArgs, AuditFilters):
    """The filters, then the page: the order the document has always listed them in."""


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
        access.require_audit_reader(request_permissions())
        query = queries.audit_entries(current_principal().trust_id, action=args.get("action"),
                                      subject_id=args.get("subject_id"))
        return paginate(current_uow().session, query, args, scalars=False)

    return blp

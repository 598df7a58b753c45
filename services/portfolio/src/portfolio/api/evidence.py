"""Evidence at any time: files (checked, stored through the evidence store) or links, tagged to
standards, on an activity or free-standing."""
from __future__ import annotations

import json

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from canopy_kit.web.auth import authenticated
from canopy_kit.db.pages import paginate
from canopy_kit.errors import NotFound
from canopy_kit.web.access_log import record_read
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.docs import error_responses, file_content
from canopy_kit.web.errors import invalid_fields
from canopy_kit.web.ids import ID_KIND, TrustId
from canopy_kit.web.pagination import PageArgs, page_schema
from canopy_kit.web.request_uow import current_settings, current_uow
from canopy_kit.web.schemas import CreatedSchema
from portfolio import queries, storage
from portfolio.api import caller
from portfolio.api.schemas import Codes, JsonList
from portfolio.commands.activities import add_evidence


class LinkEvidenceSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=2000))
    activity_id = TrustId("activity", load_default=None, allow_none=True)
    linked_standards = Codes()


class FileFormSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    activity_id = TrustId("activity", load_default=None, allow_none=True)
    linked_standards = fields.String(load_default="", metadata={"description": "codes separated by commas"})


class EvidenceSchema(Schema):
    id = fields.String(required=True)
    activity_id = fields.String(allow_none=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    url = fields.String(allow_none=True)
    filename = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)
    linked_standards = JsonList(required=True, metadata={"type": "array", "items": {"type": "string"}})
    added_on = fields.Date(required=True)


def blueprint() -> Blueprint:
    blp = Blueprint("evidence", __name__, url_prefix="/v1", description="Evidence")

    @blp.route("/people/<person_id>/evidence", methods=["POST"])
    @authenticated(blp)
    @idempotent
    @blp.response(201, CreatedSchema)
    @error_responses(blp, 403, 404, 413, 415, 422)
    @blp.doc(requestBody={"required": True, "content": {
        "application/json": {"schema": LinkEvidenceSchema},
        "multipart/form-data": {"schema": {"type": "object", "required": ["title", "file"], "properties": {
            "title": {"type": "string"}, "activity_id": {"type": "string", ID_KIND: "activity"},
            "linked_standards": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}}}})
    def add(person_id):
        """Add evidence to one's own portfolio: a link (JSON) or a file (multipart form)."""
        me = caller()
        me.require_owner(person_id)
        limit = current_settings().evidence_max_bytes
        request.max_content_length = limit + storage.FORM_ALLOWANCE
        upload = request.files.get("file")
        try:
            if upload is None:
                values = LinkEvidenceSchema().load(request.get_json(silent=True) or {})
                values.update(kind="link")
            else:
                form = FileFormSchema().load({k: v for k, v in request.form.items()})
                data = upload.read()
                content_type = storage.check_file(upload.filename or "", data, limit)
                values = {"title": form["title"], "activity_id": form["activity_id"], "kind": "file",
                          "linked_standards": [c.strip() for c in form["linked_standards"].split(",") if c.strip()],
                          "filename": (upload.filename or "")[:255], "content_type": content_type, "size": len(data),
                          "storage_key": storage.evidence_store(current_settings()).put(data)}
        except ValidationError as exc:
            raise invalid_fields(exc.messages_dict) from None
        return {"id": add_evidence(current_uow(), trust_id=me.trust_id, person_id=person_id, values=values)}

    @blp.route("/people/<person_id>/evidence", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(EvidenceSchema))
    @error_responses(blp, 403)
    def list_evidence(args, person_id):
        """A person's evidence, newest first: all of it for the person, and for others what was
        added while the person was where the permission matrix lets them look."""
        page = paginate(current_uow().session, queries.evidence_of(caller(), person_id), args, scalars=False)
        record_read("portfolio.evidence", [(e["id"], person_id) for e in page["items"]])
        return page

    @blp.route("/evidence/<evidence_id>/content", methods=["GET"])
    @authenticated(blp)
    @file_content(blp, {content_type for content_type, _ in storage.ALLOWED.values()}, "The file, as uploaded")
    @error_responses(blp, 403, 404)
    def content(evidence_id):
        """Download a file kept as evidence, in the content type it was checked as."""
        me = caller()
        row = queries.evidence_item(current_uow().session, me.trust_id, evidence_id)
        me.require_record(row.person_id, row.added_on, "evidence")
        if row.kind != "file":
            raise NotFound("this evidence is a link, not a file")
        record_read("portfolio.evidence", [(row.id, row.person_id)])
        data = storage.evidence_store(current_settings()).get(row.storage_key)
        return Response(data, mimetype=row.content_type, headers={
            "Content-Disposition": f'attachment; filename="{json.dumps(row.filename)[1:-1]}"'})

    return blp

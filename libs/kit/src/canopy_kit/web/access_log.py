"""Reads of someone else's records, logged where the person can see them.

A service calls ``record_read`` when it returns another person's appraisal, observation or
portfolio records; the entry is written in the request's transaction. Every service serves
``GET /v1/me/access-log``: who read the caller's records there, and when.
"""
from __future__ import annotations

from typing import Iterable

from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import and_, func, insert, select

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.auth.permissions import ListRule
from canopy_kit.db.rows import now
from canopy_kit.db.tables import access_log, dir_people
from canopy_kit.web.fields import UtcDateTime
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow


def record_read(record_type: str, reads: Iterable[tuple[str, str]]) -> None:
    """Log ``(record_id, owner_id)`` pairs read by the caller, except the caller's own records."""
    principal = current_principal()
    rows = [{"trust_id": principal.trust_id, "person_id": owner, "reader_id": principal.person_id,
             "record_type": record_type, "record_id": record_id, "at": now()}
            for record_id, owner in reads if owner != principal.person_id]
    if rows:
        current_uow().session.execute(insert(access_log), rows)


# Every service's ``GET /v1/me/access-log``: the caller's own entries, nobody else's.
LIST_RULE = ListRule("reads of the caller's own records", allows=lambda caller, row: (
    row["person_id"] == caller.principal.person_id))


class AccessEntrySchema(Schema):
    at = UtcDateTime(required=True)
    reader_id = fields.String(required=True)
    record_type = fields.String(required=True)
    record_id = fields.String(required=True)
    reader_name = fields.String(allow_none=True, metadata={
        "description": "the reader's name in the staff directory (null if they are not in it): the person may "
                       "know who read their records, whoever may otherwise look the reader up"})


def access_log_blueprint() -> Blueprint:
    blp = Blueprint("access_log", __name__, url_prefix="/v1/me/access-log",
                    description="Who read your records in this service")

    @blp.route("", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(AccessEntrySchema))
    def my_access_log(args):
        """Every read of the caller's records by someone else, newest first."""
        principal = current_principal()
        reader = dir_people  # the directory this service keeps from identity's events
        name = func.coalesce(reader.c.preferred_name, reader.c.given_name) + " " + reader.c.family_name
        query = (select(access_log.c.at, access_log.c.reader_id, access_log.c.record_type, access_log.c.record_id,
                        name.label("reader_name"))
                 .select_from(access_log.outerjoin(reader, and_(reader.c.person_id == access_log.c.reader_id,
                                                                reader.c.trust_id == access_log.c.trust_id)))
                 .where(access_log.c.trust_id == principal.trust_id, access_log.c.person_id == principal.person_id)
                 .order_by(access_log.c.at.desc(), access_log.c.id.desc()))
        return paginate(current_uow().session, query, args, scalars=False)

    return blp

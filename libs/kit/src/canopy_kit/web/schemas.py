"""Response schemas every service answers with (their names are the OpenAPI components')."""
from __future__ import annotations

from marshmallow import Schema, fields


class CreatedSchema(Schema):
    """What a POST that made one thing answers: its id (its URL is in ``Location`` where it has one)."""
    id = fields.String(required=True)


class CreatedManySchema(Schema):
    """What a POST that made several things at once answers: their ids, in the order asked."""
    ids = fields.List(fields.String(), required=True)

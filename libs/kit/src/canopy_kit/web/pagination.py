"""Page-numbered lists: ``?page=2&page_size=50`` -> ``{"items", "page", "page_size", "total"}``."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from canopy_kit.db.pages import paginate  # noqa: F401  (a view may page a query it was handed)

MAX_PAGE_SIZE = 200


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def page_schema(item_schema: type[Schema], name: str | None = None) -> type[Schema]:
    """A response schema for one page of ``item_schema``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Integer(required=True),
            "page_size": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
        name=name or item_schema.__name__.replace("Schema", "") + "Page",
    )

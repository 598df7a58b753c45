"""Page-numbered lists: ``?page=2&page_size=50`` -> ``{"items", "page", "page_size", "total"}``."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

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


def paginate(session: Session, query: Select, args: dict[str, Any], *, scalars: bool = True) -> dict[str, Any]:
    """Run ``query`` for one page; the total comes from the same filters without ordering."""
    page, size = args.get("page", 1), args.get("page_size", 50)
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = session.execute(query.limit(size).offset((page - 1) * size))
    items = list(rows.scalars() if scalars else rows.mappings())
    return {"items": items, "page": page, "page_size": size, "total": total}

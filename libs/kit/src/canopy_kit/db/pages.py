"""One page of a query's rows, with the total: what a list endpoint answers (``canopy_kit.web.pagination``
has the request arguments and the response schema). Here, below the web layer, so that a service's
queries can return the page itself."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def paginate(session: Session, query: Select, args: dict[str, Any], *, scalars: bool = True) -> dict[str, Any]:
    """Run ``query`` for one page; the total comes from the same filters without ordering."""
    page, size = args.get("page", 1), args.get("page_size", 50)
    total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = session.execute(query.limit(size).offset((page - 1) * size))
    items = list(rows.scalars() if scalars else rows.mappings())
    return {"items": items, "page": page, "page_size": size, "total": total}

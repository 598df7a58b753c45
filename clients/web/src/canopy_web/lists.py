"""The APIs' paged lists (``?page=&page_size=`` answered ``{"items", "page", "page_size",
"total"}``): read whole, page after page, and a list gathered whole cut back into that shape for
the pager. The trust's schools are read whole here for every area."""
from __future__ import annotations

from itertools import takewhile
from typing import Any, Callable, Iterator, Mapping

from canopy_web import auth

LARGEST_PAGE = 200  # the APIs' largest page size
MAX_PAGES = 25  # a bound on reading a whole list: 5,000 items, far beyond a trust's schools or a portfolio


def every_item(service: str, path: str, params: Mapping[str, Any] | None = None, *,
               pages: int = MAX_PAGES) -> Iterator[dict]:
    """The items of a paged list in the API's order, page after page, at most ``pages`` of them.
    Lazily: the next page is asked for only when the caller reads past the one before, so a
    caller that has found what it wants stops there."""
    for number in range(1, pages + 1):
        found = auth.get(service, path, params={**(params or {}), "page": number, "page_size": LARGEST_PAGE})
        yield from found["items"]
        if number * LARGEST_PAGE >= found["total"] or not found["items"]:
            return


def items_before(service: str, path: str, past: Callable[[Mapping[str, Any]], bool],
                 params: Mapping[str, Any] | None = None) -> list[dict]:
    """The items of a list (newest first, say) up to the first one ``past`` says is beyond what is
    wanted; no page after that one is read."""
    return list(takewhile(lambda item: not past(item), every_item(service, path, params)))


def one_page(items: list, number: int, size: int) -> dict[str, Any]:
    """A list gathered whole, cut into the API's page shape (for the pager)."""
    number = max(1, number)
    return {"items": items[(number - 1) * size:number * size], "page": number, "page_size": size,
            "total": len(items)}


def page_number(value: Any) -> int:
    """The page a query string asks for: a whole number from 1, anything else the first page."""
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


def all_schools() -> list[dict]:
    """Every school of the trust, open and closed, in the directory's order (by name)."""
    return list(every_item("identity", "/v1/schools"))


def school_names() -> dict[str, str]:
    """The trust's schools' names by id."""
    return {school["id"]: school["name"] for school in every_item("identity", "/v1/schools")}

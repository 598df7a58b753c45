"""What observation's commands share: ids, clocks, JSON columns, lookups that 404 across trusts."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Row

from canopy_kit.db.rows import new_id, now, row_in_trust  # noqa: F401 (shared by the handlers)
from canopy_kit.db.uow import UnitOfWork
from canopy_kit.web.errors import ApiError, field_error
from observation.domain.forms import FormError


def to_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def find(uow: UnitOfWork, table, row_id: str, trust_id: str, what: str, *, lock: bool = False) -> Row:
    """This trust's row, or a 404: another trust's id does not exist for the caller."""
    return row_in_trust(uow.session, table, row_id, trust_id, what, lock=lock)


def form_error(exc: FormError) -> ApiError:
    return field_error(exc.field, exc.reason)


def check_row_version(row_version: int, expected: int | None) -> None:
    """``If-Match`` on a draft: someone else saved it since the caller read it -> 412."""
    if expected is not None and expected != row_version:
        raise ApiError(412, "the draft changed since you read it; reload it and try again",
                       errors={"If-Match": [f"current version is {row_version}"]})

"""Ids in requests, checked against the caller's trust where they are read.

A request field that takes an id is a ``TrustId(kind)`` (one id) or ``TrustIds(kind)`` (a list).
Loading it looks the id up among the caller's trust's things of that kind, before the view runs:
an unknown id and another trust's id are the same answer, 404 naming the field (see
``canopy_kit.web.errors``), and nothing is written. The kind is declared in the OpenAPI document
(``x-canopy-id``), so a test finds every id a service takes from its document alone.

Where a kind is looked up is the service's business (``canopy_kit.tenancy``): ``ServiceSpec.id_kinds``
adds its own kinds to the directory kinds every service has from its projection.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask import current_app, g
from marshmallow import ValidationError, fields, validate

from canopy_kit.web.auth import current_principal
from canopy_kit.web.errors import AbsentId
from canopy_kit.web.request_uow import current_uow

ID_KIND = "x-canopy-id"  # the OpenAPI extension that names the kind of id a field holds
MAX_ID_LENGTH = 36


def _plausible(value: Any) -> bool:
    # What cannot be an id is not looked up (a NUL would upset PostgreSQL): it is simply not found.
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH and value.isprintable()


def absent_ids(kind: str, ids: Iterable[Any]) -> list[Any]:
    """Those of ``ids`` that are not the caller's trust's things of ``kind``, in their order.

    Answers are kept for the request: a view asking again about the same id costs nothing."""
    kinds = current_app.extensions["canopy"].id_kinds
    if kind not in kinds:
        raise LookupError(f"no id kind {kind!r} in this service; add it to its ServiceSpec.id_kinds")
    known: dict[tuple[str, str], bool] = g.setdefault("canopy_known_ids", {})
    wanted = list(ids)
    asked = {i for i in wanted if _plausible(i) and (kind, i) not in known}
    if asked:
        found = kinds[kind].found(current_uow().session, current_principal().trust_id, asked)
        known.update({(kind, i): i in found for i in asked})
    return [i for i in wanted if not (_plausible(i) and known[(kind, i)])]


class _InTrust(validate.Validator):
    def __init__(self, kind: str, many: bool):
        self.kind, self.many = kind, many

    def __call__(self, value):
        absent = absent_ids(self.kind, value if self.many else [value])
        if absent:
            reason = f"no such {current_app.extensions['canopy'].id_kinds[self.kind].label} in your trust"
            if self.many:  # say which: the caller sent them, so naming them tells nothing new
                reason += ": " + ", ".join(map(str, absent))
            raise ValidationError(AbsentId(reason))
        return value


class TrustId(fields.String):
    """One id of the caller's trust's ``kind``: anything else is answered 404 naming the field.
    (``checked=False``: an element of ``TrustIds``, which looks the whole list up at once.)"""

    def __init__(self, kind: str, *, metadata: dict | None = None, checked: bool = True, **kwargs):
        validators = [validate.Length(min=1, max=MAX_ID_LENGTH)] + ([_InTrust(kind, many=False)] if checked else [])
        super().__init__(validate=validators, metadata={**(metadata or {}), ID_KIND: kind}, **kwargs)
        self.kind = kind


class TrustIds(fields.List):
    """A list of ids of the caller's trust's ``kind``, looked up in one query."""

    def __init__(self, kind: str, *, max_items: int, min_items: int = 0, **kwargs):
        super().__init__(TrustId(kind, checked=False), validate=[validate.Length(min=min_items, max=max_items),
                                                                 _InTrust(kind, many=True)], **kwargs)
        self.kind = kind

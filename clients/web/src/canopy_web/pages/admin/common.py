"""What the admin pages share: the API's enumerations, the trust's schools and groups as choices,
and the one rule for refusals (a 4xx is shown on the form, anything else is the error page)."""
from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Iterable

from flask import redirect

from canopy_kit.clock import now
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.views import notify

# As identity's and observation's OpenAPI documents list them (the client offers only these; the
# services still check every value).
PHASES = ("nursery", "primary", "middle", "secondary", "all_through", "special", "alternative", "post16")
STAFF_CATEGORIES = ("teaching", "support", "leadership")
ROLES = ("teacher", "support_staff", "line_manager", "coach", "mentor", "cpd_lead", "headteacher", "senior_leader",
         "school_admin", "trust_leader", "trust_admin")
ACCOUNT_STATUSES = ("invited", "active", "disabled")


def refused(error: ApiError) -> ApiError:
    """The refusal to show beside the form's fields; a failure of the service (5xx) is not the
    person's to fix and goes to the error page instead."""
    if error.status >= 500:
        raise error
    return error


def saved(method: str, service: str, path: str, *, done: str, to: str, **options: Any):
    """Make one change: (a redirect to ``to``, with ``done`` for the next page to say, None) or,
    refused, (None, the refusal to show on the form)."""
    try:
        auth.call(method, service, path, **options)
    except ApiError as error:
        return None, refused(error)
    notify(done)
    return redirect(to, code=303), None


def today() -> str:
    return now().date().isoformat()


def when(value: Any) -> datetime | date | None:
    """A date or moment as the APIs write it: ISO 8601, or (frameworks' version list) HTTP-date."""
    if not value:
        return None
    if isinstance(value, (date, datetime)):
        return value
    text = str(value)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def school_choices(schools: Iterable[dict], *, open_only: bool = True) -> list[tuple[str, str]]:
    return [(school["id"], school["name"]) for school in schools if not open_only or school["status"] == "open"]


def scope_choices(trust_id: str, schools: Iterable[dict], groups: Iterable[dict]) -> list[tuple[str, str]]:
    """Where a role can be granted, as one choice: ``trust:<id>``, ``school:<id>``, ``group:<id>``."""
    return ([(f"trust:{trust_id}", "The whole trust")]
            + [(f"school:{school['id']}", school["name"]) for school in schools if school["status"] == "open"]
            + [(f"group:{group['id']}", f"{group['name']} (group of schools)") for group in groups])


def split_scope(value: str) -> tuple[str, str]:
    """``school:<id>`` -> ("school", "<id>"); anything else -> ("", "") for the API to refuse."""
    kind, _, scope_id = (value or "").partition(":")
    return (kind, scope_id) if kind and scope_id else ("", "")


def scope_label(grant: dict, schools: dict[str, str], groups: dict[str, str]) -> str:
    if grant["scope_type"] == "trust":
        return "The whole trust"
    names = schools if grant["scope_type"] == "school" else groups
    return names.get(grant["scope_id"], f"A {grant['scope_type']} no longer listed")


def merged(error: ApiError, field: str, api_fields: Iterable[str]) -> ApiError:
    """The refusal with the reasons of several API fields under one form field (one "scope" choice
    stands for ``scope_type`` and ``scope_id``), so they show beside the field the person used."""
    api_fields = tuple(api_fields)
    reasons = [reason for name in api_fields for reason in error.errors.get(name, [])]
    if not reasons:
        return error
    errors = {name: found for name, found in error.errors.items() if name not in api_fields}
    errors[field] = reasons
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


def local_refusal(field: str, reason: str) -> ApiError:
    """A refusal the client makes itself, before any API is asked (a name it cannot resolve)."""
    return ApiError(422, f"{field.replace('_', ' ').capitalize()}: {reason}", "invalid_input", {field: [reason]})


def total(service: str, path: str, **params: Any) -> int | None:
    """How many a list holds (its ``total``), or None when that service is not answering."""
    try:
        return auth.get(service, path, params={"page_size": 1, **params})["total"]
    except ApiError as error:
        if error.status < 500:
            raise
        return None

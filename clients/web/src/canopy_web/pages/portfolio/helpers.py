"""What the portfolio's pages share: the service, how a year, a refusal, a file's size and its
name read, and whose portfolio it is."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping
from urllib.parse import quote, unquote

from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.school_years import academic_year, as_day, year_label

SERVICE = "portfolio"
PAGE_SIZE = 20

STAGE_LABELS = {"immediate": "Straight after", "follow_up": "Follow-up"}


# -- pure helpers ---------------------------------------------------------------------------------
def year_choices(oldest: date | None, newest: date | None, today: date) -> list[tuple[str, str]]:
    """The school years a person's activities span (and this one), newest first."""
    this_year = academic_year(today)
    first = academic_year(oldest) if oldest else this_year
    last = max(this_year, academic_year(newest)) if newest else this_year
    return [(str(year), year_label(year)) for year in range(last, min(first, this_year) - 1, -1)]


def total_hours(activities: Iterable[Mapping[str, Any]]) -> Decimal:
    total = Decimal(0)
    for activity in activities:
        try:
            total += Decimal(str(activity.get("hours") or 0))
        except InvalidOperation:
            continue
    return total


def renamed(error: ApiError, names: Mapping[str, str]) -> ApiError:
    """The refusal with its field names as this page's form names them (two forms on one page
    both have a ``title``)."""
    errors = {names.get(name, name): reasons for name, reasons in error.errors.items()}
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


def folded(error: ApiError, names: Iterable[str]) -> ApiError:
    """The reasons about one item of a list field (``linked_objectives.2``) shown beside the
    field itself, saying which item (the form has one field for the whole list)."""
    errors: dict[str, list[str]] = {}
    for name, reasons in error.errors.items():
        head, _dot, rest = name.partition(".")
        if head in names and rest:
            index = rest.split(".", 1)[0]
            number = f"item {int(index) + 1}: " if index.isdigit() else ""
            errors.setdefault(head, []).extend(f"{number}{reason}" for reason in reasons)
        else:
            errors.setdefault(name, []).extend(reasons)
    return ApiError(error.status, error.message, error.code, errors, error.retry_after)


def size_label(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def filename_of(disposition: str | None) -> str | None:
    """The file's name in the API's ``Content-Disposition`` (its quoted name escaped as in JSON)."""
    if not disposition:
        return None
    found = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.IGNORECASE)
    if found:
        return unquote(found.group(1)) or None
    found = re.search(r'filename="((?:[^"\\]|\\.)*)"', disposition)
    if not found:
        return None
    try:
        return json.loads(f'"{found.group(1)}"') or None
    except ValueError:
        return found.group(1) or None


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download: a plain ASCII name every browser reads, and the
    real name (RFC 6266 ``filename*``) where it has other characters."""
    name = filename.replace("\r", "").replace("\n", "").replace("/", "_").replace("\\", "_").strip() or "download"
    plain = "".join(c if 32 <= ord(c) < 127 and c != '"' else "_" for c in name)
    header = f'attachment; filename="{plain}"'
    if plain != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


# -- reading through the API ----------------------------------------------------------------------
def _me() -> str:
    return auth.principal().person_id


def _current_schools() -> list[tuple[str, str]]:
    me = auth.get("identity", "/v1/me")
    today = date.today()
    return sorted({(job["school_id"], job["school_name"]) for job in me.get("employments", [])
                   if (as_day(job.get("ends_on")) or date.max) >= today}, key=lambda school: school[1])

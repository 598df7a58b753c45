"""Reading a staff CSV and checking each row on its own (no database)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, validate

from canopy_contracts.events.identity import STAFF_CATEGORIES
from identity.domain.roles import SCHOOL_GRANTED_ROLES
from identity.domain.staff_import import Problem, StaffRow

REQUIRED_COLUMNS = ("email", "given_name", "family_name", "school_urn", "job_title", "staff_category", "starts_on")
OPTIONAL_COLUMNS = ("preferred_name", "fte", "ends_on", "roles", "line_manager_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Roles that reach beyond one school are granted by hand, never by a file.
IMPORTABLE_ROLES = SCHOOL_GRANTED_ROLES
MAX_ROWS = 50_000
_EMAIL = validate.Email()


@dataclass
class Parsed:
    rows: list[StaffRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without the byte-order mark spreadsheets add); anything else is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(f"line {line}: the file is not UTF-8; save it as 'CSV UTF-8' and try again") from None


def _text(raw: dict, name: str, problems: list, line: int, *, required: bool, max_length: int) -> str | None:
    value = (raw.get(name) or "").strip()
    if not value:
        if required:
            problems.append(Problem(line, name, "is required"))
        return None
    if len(value) > max_length:
        problems.append(Problem(line, name, f"is longer than {max_length} characters"))
    return value


def _date(raw: dict, name: str, problems: list, line: int, *, required: bool) -> date | None:
    value = (raw.get(name) or "").strip()
    if not value:
        if required:
            problems.append(Problem(line, name, "is required"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(line, name, f"{value!r} is not a date (use YYYY-MM-DD)"))
        return None


def _email(value: str | None, name: str, problems: list, line: int) -> str | None:
    if value is None:
        return None
    try:
        _EMAIL(value)
    except ValidationError:
        problems.append(Problem(line, name, f"{value!r} is not an email address"))
    return value.lower()


def _row(raw: dict, line: int, problems: list) -> StaffRow | None:
    before = len(problems)
    email = _email(_text(raw, "email", problems, line, required=True, max_length=254), "email", problems, line)
    names = {n: _text(raw, n, problems, line, required=n != "preferred_name", max_length=100)
             for n in ("given_name", "family_name", "preferred_name")}
    urn = _text(raw, "school_urn", problems, line, required=True, max_length=32)
    job_title = _text(raw, "job_title", problems, line, required=True, max_length=200)
    category = _text(raw, "staff_category", problems, line, required=True, max_length=16)
    if category and category not in STAFF_CATEGORIES:
        problems.append(Problem(line, "staff_category", f"must be one of: {', '.join(STAFF_CATEGORIES)}"))
    fte_text = (raw.get("fte") or "").strip() or "1"
    try:
        fte = Decimal(fte_text)
        if not Decimal(0) < fte <= Decimal(1):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(Problem(line, "fte", f"{fte_text!r} must be a number more than 0 and at most 1"))
        fte = Decimal(1)
    starts_on = _date(raw, "starts_on", problems, line, required=True)
    ends_on = _date(raw, "ends_on", problems, line, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(Problem(line, "ends_on", "is before starts_on"))
    roles = tuple(sorted({r.strip() for r in (raw.get("roles") or "").split(";") if r.strip()}))
    for role in roles:
        if role not in IMPORTABLE_ROLES:
            problems.append(Problem(line, "roles", f"{role!r} cannot be imported; use one of: "
                                                   f"{', '.join(IMPORTABLE_ROLES)}"))
    manager = _email(_text(raw, "line_manager_email", problems, line, required=False, max_length=254),
                     "line_manager_email", problems, line)
    if manager and manager == email:
        problems.append(Problem(line, "line_manager_email", "a person cannot be their own line manager"))
    if len(problems) > before:
        return None
    return StaffRow(line, email, names["given_name"], names["family_name"], names["preferred_name"], urn, job_title,
                    category, fte.quantize(Decimal("0.001")), starts_on, ends_on, roles, manager)


def parse(data: bytes) -> Parsed:
    """Every row checked on its own; a file-level problem (encoding, header) stops at once."""
    parsed = Parsed()
    try:
        text = decode(data)
    except ValueError as exc:
        parsed.problems.append(Problem(0, "file", str(exc)))
        return parsed
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        reasons = ([f"missing columns: {', '.join(missing)}"] if missing else []) + \
                  ([f"unknown columns: {', '.join(unknown)}"] if unknown else []) + \
                  (["a column is repeated"] if len(set(header)) != len(header) else [])
        parsed.problems.append(Problem(1, "header", "; ".join(reasons) + f". Expected: {', '.join(COLUMNS)}"))
        return parsed
    reader.fieldnames = header
    for raw in reader:
        line = reader.line_num
        if len(parsed.rows) + len(parsed.problems) >= MAX_ROWS:
            parsed.problems.append(Problem(line, "file", f"more than {MAX_ROWS} rows; split the file"))
            break
        if None in raw:
            parsed.problems.append(Problem(line, "row", "has more values than the header has columns"))
            continue
        row = _row(raw, line, parsed.problems)
        if row is not None:
            parsed.rows.append(row)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(1, "file", "has a header but no rows"))
    return parsed

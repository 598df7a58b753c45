"""Staff from a CSV file: the expected columns and an example file, a dry run that lists every
problem by line and column, then the same file applied.

Identity checks and applies the file in one request (``POST /v1/imports/staff``, ``dry_run``):
all rows or none, and the answer says how many people, employments, roles and line managers it
created or changed, so there is no progress to poll. The file is kept between the dry run and the
apply by ``uploads`` (the client's data folder, for minutes).
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from flask import Blueprint, Response, request, url_for

from canopy_kit.clock import now
from canopy_web import auth
from canopy_web.api import ApiError
from canopy_web.lists import all_schools
from canopy_web.pages.admin import uploads
from canopy_web.pages.admin.common import local_refusal, refused
from canopy_web.school_years import academic_year, year_bounds
from canopy_web.views import page

IMPORT_PATH = "/v1/imports/staff"

# What each column the API documents holds, and a value for the example file. The list of columns
# itself is read from the API's document, so a column the API adds shows up here too.
COLUMN_NOTES = {
    "email": ("Work email: their sign-in, and how later rows and files find the same person.",
              ("a.okafor@school.example.org", "b.lewis@school.example.org")),
    "given_name": ("First name.", ("Amara", "Ben")),
    "family_name": ("Family name.", ("Okafor", "Lewis")),
    "school_urn": ("The URN of the school they work at (see Schools).", None),
    "job_title": ("As the school calls the job.", ("Class teacher", "Teaching assistant")),
    "staff_category": ("teaching, support or leadership.", ("teaching", "support")),
    "starts_on": ("First day of this employment, as YYYY-MM-DD.", None),
    "preferred_name": ("The name they go by, if not their first name.", ("", "Benny")),
    "fte": ("Full-time equivalent, more than 0 and at most 1 (empty: 1).", ("1", "0.6")),
    "ends_on": ("Last day, for a fixed-term employment (YYYY-MM-DD).", ("", "")),
    "roles": ("Roles at that school, separated by ';' (e.g. teacher;coach).", ("teacher;coach", "support_staff")),
    "line_manager_email": ("Their appraiser's email: someone in the trust or earlier in the file.",
                           ("", "a.okafor@school.example.org")),
}
# Where a problem is not one column's: what the table says instead of a column name.
PLACES = {"header": "The header line", "file": "The whole file", "row": "The whole line"}
_LISTED = re.compile(r"(Required|All) columns: ([a-z0-9_, ]+)\.")


def columns_from_description(description: str) -> tuple[list[str], list[str]]:
    """(required, all) columns as the import's documented request body lists them."""
    found = {kind: [name.strip() for name in names.split(",") if name.strip()]
             for kind, names in _LISTED.findall(description or "")}
    required = found.get("Required", [])
    return required, found.get("All", required)


def example_csv(columns: list[str], *, urn: str, starts_on: date) -> str:
    """A two-line example file with every documented column, in the API's order, that imports as it
    is (at a school with ``urn``): the second person is line-managed by the first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for index in range(2):
        row = []
        for column in columns:
            examples = COLUMN_NOTES.get(column, ("", None))[1]
            if column == "school_urn":
                row.append(urn)
            elif column == "starts_on":
                row.append(starts_on.isoformat())
            else:
                row.append(examples[index] if examples else "")
        writer.writerow(row)
    return out.getvalue()


def problem_rows(errors: dict[str, list[str]]) -> list[dict]:
    """The import's refusal as table rows (line, column, reason), in file order.

    The API answers ``errors.rows = [{"line", "field", "reason"}, ...]``; the client's error
    reading flattens that into ``rows.line``, ``rows.field`` and ``rows.reason``, each in the
    problems' order, so the n-th of each belong together. Other reasons (the upload itself) are
    left to the field they name."""
    lines, fields, reasons = (errors.get(f"rows.{key}", []) for key in ("line", "field", "reason"))
    rows = []
    for line, field, reason in zip(lines, fields, reasons):
        number = int(line) if str(line).isdigit() else 0
        rows.append({"line": number, "column": PLACES.get(field, field), "reason": reason,
                     "whole_file": number == 0})
    return sorted(rows, key=lambda row: (row["line"], row["column"]))


def upload_refusal(error: ApiError) -> ApiError:
    """The reasons that are not one line's (a missing or oversized file), under the file field."""
    others = {name: found for name, found in error.errors.items() if not name.startswith("rows.")}
    return ApiError(error.status, error.message, error.code, others, error.retry_after)


def _documented_columns() -> tuple[list[str], list[str]]:
    try:
        document = auth.gateway().call("GET", "identity", "/openapi.json").json()
        body = document["paths"][IMPORT_PATH]["post"]["requestBody"]
    except (ApiError, KeyError, TypeError, ValueError):
        return [], []  # the page says the columns cannot be shown just now
    return columns_from_description(body.get("description", ""))


def _example_urn() -> str:
    for school in all_schools():
        if school["status"] == "open" and school.get("urn"):
            return school["urn"]
    return "100000"


def add_routes(blp: Blueprint) -> None:

    def import_page(*, error: ApiError | None = None, problems=None, report=None, token=None, filename=None,
                    status: int = 200):
        required, columns = _documented_columns()
        notes = [(column, column in required, COLUMN_NOTES.get(column, ("See the API documentation.", None))[0])
                 for column in columns]
        return page("admin/imports.html", status=status, error=error, notes=notes, problems=problems,
                    report=report, token=token, filename=filename)

    def refused_import(error: ApiError):
        refused(error)
        problems = problem_rows(error.errors)
        # The table shows the lines' problems; the summary and the file field show the rest.
        return import_page(error=upload_refusal(error), problems=problems, status=error.status)

    @blp.get("/imports")
    @auth.signed_in
    def imports():
        return import_page()

    @blp.get("/imports/example.csv")
    @auth.signed_in
    def import_example():
        _, columns = _documented_columns()
        # The first day of this school year: a plausible start for the example's employments.
        first_day, _last = year_bounds(academic_year(now().date()))
        body = example_csv(columns, urn=_example_urn(), starts_on=first_day)
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="staff-example.csv"'})

    @blp.post("/imports")
    @auth.signed_in
    def check_import():
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        if not data:
            return import_page(error=local_refusal("file", "choose a CSV file to check"), status=422)
        filename = upload.filename or "staff.csv"
        try:
            report = auth.post("identity", IMPORT_PATH, params={"dry_run": "true"},
                               files={"file": (filename, data, "text/csv")})
        except ApiError as error:
            return refused_import(error)
        token = uploads.keep(auth.principal().person_id, data)
        return import_page(report=report, token=token, filename=filename)

    @blp.post("/imports/apply")
    @auth.signed_in
    def apply_import():
        me, token = auth.principal().person_id, request.form.get("token", "")
        data = uploads.take(me, token)
        if data is None:
            return import_page(error=local_refusal("file", "the checked file is no longer kept here (it is kept "
                                                           "for 30 minutes); choose it again to check it"),
                               status=422)
        filename = request.form.get("filename") or "staff.csv"
        try:
            report = auth.post("identity", IMPORT_PATH, files={"file": (filename, data, "text/csv")})
        except ApiError as error:
            refused(error)  # the service failed: the file stays for another try
            uploads.drop(me, token)  # refused: the file needs changing before it can be applied
            return refused_import(error)
        uploads.drop(me, token)
        return page("admin/import_done.html", report=report, filename=filename,
                    people_url=url_for("admin.people"))

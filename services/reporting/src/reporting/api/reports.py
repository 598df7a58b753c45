"""The standard dashboards: ``GET /v1/reports/<name>`` for a year, one school or one phase, as JSON
(for charts) or CSV (for governors). Figures about fewer than the trust's minimum group of people
are blanked, with their complement, before they leave the service."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable

from flask import Response
from flask_smorest import Blueprint

from canopy_kit.web.auth import authenticated, request_permissions
from canopy_kit.web.docs import error_responses, other_content
from canopy_kit.web.request_uow import current_settings, current_uow
from reporting import queries
from reporting.access import report_scope
from reporting.api import schemas
from reporting.domain import years


@dataclass(frozen=True)
class Report:
    name: str
    summary: str
    query: Callable
    rows: type
    rollup: str | None  # the rollup whose cells the rows show (None: see ``taken_from``)
    dimension: str | None = None  # rows of one school are told apart by this
    labels: tuple[str, ...] = ()  # what names the dimension value (never blanked)
    taken_from: tuple[tuple[str, tuple[str, ...]], ...] = ()  # rollup -> fields, where a row mixes rollups

    @property
    def figures(self) -> tuple[str, ...]:
        identity = {"school_id", "school_name", "phase", "suppressed", "people", self.dimension, *self.labels}
        return tuple(name for name in self.rows._declared_fields if name not in identity)

    @property
    def sources(self) -> dict[str, tuple[str, ...]]:
        """rollup -> the row's fields that come from its cells (blanked together)."""
        if self.taken_from:
            return dict(self.taken_from)
        return {self.rollup: (*self.figures, "people")}


REPORTS = (
    Report("observations", "Observation profile per principle and school (reportable records only)",
           queries.observation_profile, schemas.ObservationRowSchema, "obs_principle", "principle_id",
           ("code", "title")),
    Report("cpd", "CPD activities, hours, spend and cover per school", queries.cpd_summary, schemas.CpdRowSchema,
           "cpd_school"),
    Report("cpd-types", "CPD per school and type of activity", queries.cpd_by_type, schemas.CpdTypeRowSchema,
           "cpd_type", "activity_type"),
    Report("impact", "CPD impact: mean evaluation ratings per school and stage", queries.cpd_impact,
           schemas.ImpactRowSchema, "impact", "stage"),
    Report("cpd-requests", "CPD requests waiting for a decision and declined, per school, with the cost asked "
           "(approved ones are CPD activities, in the CPD reports)", queries.cpd_requests, schemas.CpdRequestRowSchema, "cpd_request", "status"),
    # Staff counts come from the directory and are shown; the counts of people observed and with
    # CPD are the observed-staff and CPD cells, blanked where those reports blank them.
    Report("participation", "Staff observed and staff with CPD per school: where support has not reached",
           queries.participation, schemas.ParticipationRowSchema, None,
           taken_from=(("obs_school", ("observed", "observed_share", "records", "open_action_steps")),
                       ("cpd_school", ("with_cpd", "cpd_share")))),
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts like a formula; names typed by users (a school's) must
    # arrive as text. Numbers are written as numbers.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(report: Report, body: dict[str, Any]) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(report.rows._declared_fields), extrasaction="ignore")
    writer.writeheader()
    writer.writerows({name: _cell(value) for name, value in row.items()} for row in body["rows"])
    filename = f"{report.name}-{body['year_label']}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _view(report: Report):
    def view(args):
        session = current_uow().session
        scope = report_scope(request_permissions(), session, args["school_id"], args["phase"])
        year = args["year"] or years.current()
        threshold = current_settings().min_group_size
        rows = queries.report_rows(session, scope, year, threshold, read=report.query, sources=report.sources,
                                   dimension=report.dimension)
        body = {"report": report.name, "year": year, "year_label": years.label(year), "min_group_size": threshold,
                "rows": rows}
        return as_csv(report, body) if args["format"] == "csv" else body

    view.__name__ = report.name.replace("-", "_")
    view.__doc__ = f"{report.summary}.\n\nTrust leaders see every school and the trust as a whole; school leaders " \
                   f"and CPD leads their own school. `format=csv` gives the rows as a file."
    return view


def blueprint() -> Blueprint:
    blp = Blueprint("reports", __name__, url_prefix="/v1/reports", description="Trust and school dashboards")
    for report in REPORTS:
        view = _view(report)
        view = blp.response(200, schemas.report_schema(report.rows))(view)
        view = other_content(blp, "text/csv", "format=csv: the rows as a spreadsheet file, one line per row")(view)
        view = error_responses(blp, 403, 404)(view)
        view = blp.arguments(schemas.ReportQuerySchema, location="query")(view)
        view = authenticated(blp)(view)
        blp.route(f"/{report.name}", methods=["GET"], endpoint=view.__name__)(view)
    return blp

"""Reporting's HTTP API: the standard dashboards, as JSON or CSV."""


def blueprints() -> list:
    from reporting.api import reports

    return [reports.blueprint()]

"""Reporting as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.service import ServiceSpec
from reporting.api import blueprints
from reporting.settings import ReportingSettings
from reporting.subscriptions import subscriptions
from reporting.tables import metadata


def _commands(subparsers) -> None:
    from reporting.cli import add_commands

    add_commands(subparsers)


SERVICE = ServiceSpec(
    name="reporting",
    title="Canopy reporting",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    blueprints=blueprints,
    settings_class=ReportingSettings,
    subscriptions=subscriptions,
    commands=_commands,
    api_description="Trust-wide and per-school dashboards (observation profiles per principle, CPD hours, spend "
                    "and impact, participation) from read models built only from other services' events, with "
                    "small groups suppressed; CSV exports.",
)

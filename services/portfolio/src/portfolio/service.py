"""Portfolio as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.tenancy import IdKind
from portfolio.settings import PortfolioSettings
from portfolio.storage import FORM_ALLOWANCE
from portfolio.subscriptions import subscriptions
from portfolio.tables import activities, cpd_requests, metadata


def _blueprints() -> list:
    from portfolio.api import blueprints

    return blueprints()


def _id_kinds() -> dict:
    """Portfolio's own kinds of id, beside the directory's (``canopy_kit.tenancy``)."""
    return {"activity": IdKind(activities, "activity"), "cpd_request": IdKind(cpd_requests, "CPD request")}


def _load_demo(runtime: Runtime) -> dict:
    from portfolio.demo import load_demo

    return load_demo(runtime)


SERVICE = ServiceSpec(
    name="portfolio",
    title="Canopy portfolio",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    blueprints=_blueprints,
    settings_class=PortfolioSettings,
    subscriptions=subscriptions,
    id_kinds=_id_kinds,
    load_demo=_load_demo,
    # Evidence files (10 MiB by default, the form around them): the gateway lets bodies this big through.
    extra={"max_body_bytes": PortfolioSettings.evidence_max_bytes + FORM_ALLOWANCE},
    api_description="Professional learning that follows the person: CPD activities, evidence, requests, "
                    "the trust's programme and impact evaluation.",
)

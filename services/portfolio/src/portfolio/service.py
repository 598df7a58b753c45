"""Portfolio as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import subscribe_directory
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.web.ids import IdKind
from portfolio.tables import activities, cpd_requests, metadata
from portfolio.storage import DEFAULT_MAX_BYTES, FORM_ALLOWANCE


def _blueprints() -> list:
    from portfolio.api import blueprints

    return blueprints()


def _subscriptions() -> Subscriptions:
    return subscribe_directory(Subscriptions())


def _id_kinds() -> dict:
    """Portfolio's own kinds of id, beside the directory's (``canopy_kit.web.ids``)."""
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
    subscriptions=_subscriptions,
    id_kinds=_id_kinds,
    load_demo=_load_demo,
    # Evidence files (10 MiB, the form around them): the gateway lets bodies this big through.
    extra={"max_body_bytes": DEFAULT_MAX_BYTES + FORM_ALLOWANCE},
    api_description="Professional learning that follows the person: CPD activities, evidence, requests, "
                    "the trust's programme and impact evaluation.",
)

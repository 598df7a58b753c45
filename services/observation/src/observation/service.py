"""Observation as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.service import Runtime, ServiceSpec
from observation.api import blueprints
from observation.db import metadata
from observation.events import subscriptions


def _load_demo(runtime: Runtime) -> dict:
    from observation.demo import load_demo

    return load_demo(runtime)


SERVICE = ServiceSpec(
    name="observation",
    title="Canopy observation",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    blueprints=blueprints,
    subscriptions=subscriptions,
    load_demo=_load_demo,
    api_description="Frameworks of principles and standards, versioned observation forms, drop-ins and "
                    "observations with their workflow, action steps, and coaching pairs.",
)

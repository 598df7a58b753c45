"""Observation as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.tenancy import IdKind
from observation.api import blueprints
from observation.settings import ObservationSettings
from observation.subscriptions import subscriptions
from observation.tables import action_steps, framework_items, metadata, records, template_versions


def _id_kinds() -> dict:
    """Observation's own kinds of id, beside the directory's (``canopy_kit.web.ids``)."""
    return {"principle": IdKind(framework_items, "principle", "item_id"),
            "template_version": IdKind(template_versions, "form version"), "record": IdKind(records, "record"),
            "action_step": IdKind(action_steps, "action step")}


def _load_demo(runtime: Runtime) -> dict:
    from observation.demo import load_demo

    return load_demo(runtime)


SERVICE = ServiceSpec(
    name="observation",
    title="Canopy observation",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    blueprints=blueprints,
    settings_class=ObservationSettings,
    subscriptions=subscriptions,
    id_kinds=_id_kinds,
    load_demo=_load_demo,
    api_description="Frameworks of principles and standards, versioned observation forms, drop-ins and "
                    "observations with their workflow, action steps, and coaching pairs.",
)

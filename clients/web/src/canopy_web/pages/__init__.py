"""The client's areas, one blueprint each: a module per area, its templates in a folder of the
same name. ``register`` adds those that exist."""
from __future__ import annotations

import importlib

from flask import Flask

AREAS = ("account", "home", "portfolio", "observations", "team", "cpd", "school", "dashboards", "admin")


def register(app: Flask) -> None:
    for area in AREAS:
        try:
            module = importlib.import_module(f"canopy_web.pages.{area}")
        except ModuleNotFoundError as exc:
            if exc.name != f"canopy_web.pages.{area}":
                raise
            continue
        app.register_blueprint(module.blueprint())

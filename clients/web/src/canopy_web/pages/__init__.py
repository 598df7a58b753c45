"""The client's areas, one blueprint each: a module per area, its templates in a folder of the
same name. ``register`` adds them all."""
from __future__ import annotations

from flask import Flask

from canopy_web.pages import account, admin, cpd, dashboards, home, observations, portfolio, school, team

AREAS = (account, home, portfolio, observations, team, cpd, school, dashboards, admin)


def register(app: Flask) -> None:
    for area in AREAS:
        app.register_blueprint(area.blueprint())

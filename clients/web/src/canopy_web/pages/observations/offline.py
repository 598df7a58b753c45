"""The service worker that keeps a drop-in sent without a connection and sends it again later."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, make_response

from canopy_web.views import APP_VERSION


def add_routes(blp: Blueprint) -> None:
    @blp.get("/sw.js")
    def service_worker():
        """The service worker, at the root so that its scope is the whole site (it keeps drop-ins
        sent offline and replays them). Its text carries the static files' version, so a new
        release installs a new worker."""
        text = (Path(current_app.static_folder) / "sw.js").read_text(encoding="utf-8")
        response = make_response(text.replace("__APP_VERSION__", APP_VERSION))
        response.headers["Content-Type"] = "text/javascript; charset=utf-8"
        response.headers["Service-Worker-Allowed"] = "/"
        response.headers["Cache-Control"] = "no-cache"
        return response

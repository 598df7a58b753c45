"""The browsable API documentation: Swagger UI over the services' OpenAPI documents, from the files
of the pinned flask-swagger-ui package (nothing is loaded from a CDN or the network).

Every service serves, at ``/docs/``, a page for its own document and Swagger UI's files; the
gateways serve at ``/docs/`` one page listing every installed service's document. The page names
its files relative to itself, so the same files serve ``/docs/`` and ``/api/<service>/docs/``;
nginx answers the gateway's page itself and takes the files from a service, since the nginx image
has no Python packages.
"""
from __future__ import annotations

import json
from importlib.resources import files
from typing import Iterable, Mapping

from flask import Blueprint, Response, send_from_directory
from werkzeug.exceptions import NotFound

DOCS_PATH = "/docs/"
# The files the page loads, all from the package's ``dist`` folder; nothing else there is served.
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png",
          "favicon-16x16.png")
ASSET_MAX_AGE_SECONDS = 3600

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Canopy API</title>
<link rel="stylesheet" href="swagger-ui.css">
<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="swagger-ui-standalone-preset.js"></script>
<script>
window.onload = function () {
  var config = CONFIG;
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  window.ui = SwaggerUIBundle(config);
};
</script>
</body>
</html>
"""


def service_documents(services: Iterable[str]) -> dict[str, str]:
    """Where a gateway serves each service's OpenAPI document."""
    return {name: f"/api/{name}/openapi.json" for name in services}


def docs_page(documents: Mapping[str, str]) -> str:
    """The Swagger UI page for ``documents`` (name -> URL), the first one shown when it opens."""
    names = list(documents)
    config = {"urls": [{"name": name, "url": url} for name, url in documents.items()],
              "urls.primaryName": names[0] if names else None, "dom_id": "#swagger-ui", "deepLinking": True,
              "layout": "StandaloneLayout"}
    return _PAGE.replace("CONFIG", json.dumps(config))


def assets_folder() -> str:
    return str(files("flask_swagger_ui") / "dist")


def docs_blueprint(documents: Mapping[str, str]) -> Blueprint:
    """``/docs/``: the page for ``documents`` and the files it loads."""
    blueprint = Blueprint("canopy_docs", __name__)
    page = docs_page(documents)

    @blueprint.get(DOCS_PATH)
    def docs():
        return Response(page, mimetype="text/html")

    @blueprint.get(f"{DOCS_PATH}<path:asset>")
    def docs_asset(asset: str):
        if asset not in ASSETS:
            raise NotFound()
        return send_from_directory(assets_folder(), asset, max_age=ASSET_MAX_AGE_SECONDS)

    return blueprint

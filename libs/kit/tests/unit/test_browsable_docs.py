"""The browsable API documentation: Swagger UI from the pinned package's own files, one page for
every installed service at the gateway's ``/docs/``, one per service beside its document."""
import json
import re
from pathlib import Path

import pytest

from canopy_kit.gateway import create_gateway
from canopy_kit.production.gateway import GatewayConfig, render_nginx_conf
from canopy_kit.service import discover_services
from canopy_kit.web.browsable_docs import ASSETS, assets_folder, docs_page


def _config(page: bytes) -> dict:
    """The Swagger UI configuration a page starts with."""
    return json.loads(re.search(rb"var config = (\{.*?\});", page).group(1))


@pytest.fixture
def gateway(tmp_path):
    return create_gateway({"CANOPY_DATA_DIR": str(tmp_path)}).test_client()


def test_the_embedded_gateway_lists_every_installed_services_document(gateway):
    page = gateway.get("/docs/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    services = sorted(discover_services())
    assert len(services) >= 4
    config = _config(page.data)
    assert config["urls"] == [{"name": name, "url": f"/api/{name}/openapi.json"} for name in services]
    assert config["urls.primaryName"] == services[0]
    for entry in config["urls"]:  # every document the page lists answers through the gateway
        document = gateway.get(entry["url"])
        assert document.status_code == 200 and document.json["openapi"].startswith("3.")
    assert gateway.get("/api/").json["docs"] == "/docs/"
    assert gateway.get("/docs").headers["Location"].endswith("/docs/")


def test_the_pages_files_come_from_the_package_and_nothing_else_is_served(gateway):
    assert re.findall(rb'(?:href|src)="(?!https?:)([^"]+)"', gateway.get("/docs/").data) == [
        asset.encode() for asset in ("swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png",
                                     "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")]
    assert b"http" not in gateway.get("/docs/").data  # nothing from a CDN
    for asset in ASSETS:
        reply = gateway.get(f"/docs/{asset}")
        assert reply.status_code == 200 and reply.data == (Path(assets_folder()) / asset).read_bytes()
    assert gateway.get("/docs/swagger-ui-bundle.js").mimetype == "text/javascript"
    for refused in ("index.html", "LICENSE", "../__init__.py", "..%2F__init__.py"):
        reply = gateway.get(f"/docs/{refused}")
        assert reply.status_code == 404 and reply.json["code"] == "not_found"


def test_each_service_serves_its_own_page_beside_its_document(gateway):
    page = gateway.get("/api/portfolio/docs/")
    assert page.status_code == 200
    assert _config(page.data)["urls"] == [{"name": "portfolio", "url": "../openapi.json"}]  # /api/portfolio/openapi.json
    assert gateway.get("/api/portfolio/docs/swagger-ui.css").status_code == 200


def test_nginx_answers_the_same_page_and_takes_its_files_from_the_first_service():
    conf = render_nginx_conf(GatewayConfig(upstreams={"identity": "identity-api:8000", "portfolio": "p:8000"}))
    page = docs_page({"identity": "/api/identity/openapi.json", "portfolio": "/api/portfolio/openapi.json"})
    assert f"return 200 '{page}';" in conf
    assert re.search(r"location /docs/ \{\s+proxy_pass http://canopy_identity/docs/;", conf)
    assert '"docs": "/docs/"' in conf

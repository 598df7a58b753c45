"""The web client in the production topology, without starting anything: its process and port,
what its process is given (the gateway's address, the address its calls leave from), the
gateway configuration with and without it, its Prometheus job, and ``canopy web``."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from canopy_kit import cli
from canopy_kit.production import web as web_module
from canopy_kit.production.gateway import GatewayConfig, container_config, render_nginx_conf
from canopy_kit.production.launcher import LocalRun, LocalRunOptions, can_send_from
from canopy_kit.production.prometheus import scrape_jobs
from canopy_kit.production.topology import plan_processes, plan_web
from canopy_kit.production.web import DEFAULT_MAX_UPLOAD_BYTES, FORM_ALLOWANCE, web_max_body_bytes


def test_the_web_client_takes_the_base_port_below_every_service():
    web = plan_web(8100)
    assert (web.name, web.service, web.kind, web.port) == ("web", "web", "web", 8100)
    assert all(process.port > 8100 for process in plan_processes(["identity", "portfolio"], 8100))
    assert plan_web(0).port not in (0, 8100)


def test_prometheus_scrapes_the_web_client_in_a_job_of_its_own_only_when_it_runs():
    services = plan_processes(["identity"], 8100)
    address = lambda process: f"127.0.0.1:{process.port}"  # noqa: E731
    assert [job["job_name"] for job in scrape_jobs(services, address)] == ["canopy-api", "canopy-relay",
                                                                            "canopy-consumer"]
    jobs = {job["job_name"]: job for job in scrape_jobs([*services, plan_web(8100)], address)}
    assert jobs["canopy-web"]["static_configs"] == [{"targets": ["127.0.0.1:8100"],
                                                     "labels": {"canopy_service": "web"}}]


def test_the_client_takes_uploads_up_to_its_own_limit_and_the_form_around_them():
    assert web_max_body_bytes({}) == DEFAULT_MAX_UPLOAD_BYTES + FORM_ALLOWANCE
    assert web_max_body_bytes({"WEB_MAX_UPLOAD_BYTES": "2048"}) == 2048 + FORM_ALLOWANCE
    with pytest.raises(ValueError, match="WEB_MAX_UPLOAD_BYTES must be a whole number"):
        web_max_body_bytes({"WEB_MAX_UPLOAD_BYTES": "ten"})


def test_the_containers_gateway_has_the_web_client_when_it_is_installed(monkeypatch):
    monkeypatch.setattr(web_module, "web_client_installed", lambda: True)
    config = container_config({})
    assert config.web_upstream == "web:8000" and config.web_max_body_bytes == web_max_body_bytes({})
    monkeypatch.setattr(web_module, "web_client_installed", lambda: False)
    assert container_config({}).web_upstream is None


def _rendered(**web) -> str:
    return render_nginx_conf(GatewayConfig(upstreams={"identity": "127.0.0.1:9001"}, **web))


def test_with_the_web_client_every_other_path_is_its_own():
    text = _rendered(web_upstream="127.0.0.1:9000", web_max_body_bytes=4096, trusted_proxies=("127.0.2.1",))
    assert "server 127.0.0.1:9000;" in text and "proxy_pass http://canopy_web_client;" in text
    assert "location = /sign-in {\n            limit_req zone=canopy_sign_in" in text
    assert "location = /metrics {\n            return 404;" in text
    assert "client_max_body_size 4096;" in text and "root " not in text
    assert "set_real_ip_from 127.0.2.1;" in text and "        127.0.2.1 1;" in text
    assert "location /api/identity/ {" in text and "location = /docs/ {" in text  # the APIs' paths as before


def test_without_the_web_client_the_index_and_the_files_are_as_before():
    text = _rendered()
    assert "canopy_web_client" not in text and "canopy_sign_in" not in text and "set_real_ip_from 1" not in text
    assert "try_files /index.html @canopy_index;" in text and "root /usr/share/nginx/html/canopy;" in text


def _run(tmp_path: Path, web_source: str | None) -> LocalRun:
    options = LocalRunOptions(run_dir=tmp_path, port=8080, base_port=8100, workers=3)
    return LocalRun({}, options, {"WEB_API_URL": "http://elsewhere/api", "WEB_API_SOURCE_ADDRESS": "10.9.9.9"},
                    web_source=web_source)


def test_the_web_process_calls_the_gateway_from_the_address_it_trusts(tmp_path):
    run = _run(tmp_path, "127.0.2.1")
    child = run._web_child(run.web)
    assert child.argv[:4] == [sys.executable, "-m", "canopy_kit.cli", "web"]
    assert "--config" in child.argv and child.argv[child.argv.index("--workers") + 1] == "3"
    assert child.env["WEB_API_URL"] == "http://127.0.0.1:8080/api"  # the run's gateway, whatever was set
    assert child.env["WEB_API_SOURCE_ADDRESS"] == "127.0.2.1"
    assert child.env["GUNICORN_BIND"] == "127.0.0.1:8100" and child.env["CANOPY_TRUSTED_PROXY_HOPS"] == "1"
    assert "web" in {process.name for process in run.processes}
    assert run._checks()["gateway /"] == "http://127.0.0.1:8080/health/ready"
    # Without an address of its own the client's calls carry no claim the gateway would believe.
    untrusted = _run(tmp_path, None)
    assert "WEB_API_SOURCE_ADDRESS" not in untrusted._web_child(untrusted.web).env


def test_a_loopback_address_of_its_own_is_there_on_linux():
    assert can_send_from("127.0.2.1") is (sys.platform == "linux")
    assert not can_send_from("192.0.2.1")  # TEST-NET-1: no interface here has it


def test_canopy_web_serves_the_installed_client_and_migrates_it(monkeypatch, capsys):
    import canopy_kit.gateway
    import canopy_kit.processes

    served, migrated = [], []
    factory = object()
    monkeypatch.setattr(cli, "configure_logging", lambda *_args, **_options: None)  # keep pytest's handlers
    monkeypatch.setattr(web_module, "web_app_factory", lambda: factory)
    monkeypatch.setattr(canopy_kit.processes, "serve_wsgi", lambda app, **options: served.append((app, options)))
    monkeypatch.setattr(canopy_kit.gateway, "migrate_web_client", lambda: migrated.append(True) or True)
    assert cli.main(["web", "--workers", "3", "api", "--port", "9000"]) == 0
    assert served == [(factory, {"config_file": None, "workers": 3, "threads": 4, "bind": "0.0.0.0:9000"})]
    assert cli.main(["web", "--config", "deploy/gunicorn.conf.py"]) == 0
    assert served[-1][1] == {"config_file": "deploy/gunicorn.conf.py", "workers": None, "threads": None,
                             "bind": None}
    assert cli.main(["web", "migrate"]) == 0 and migrated == [True] and "web: migrated" in capsys.readouterr().out
    monkeypatch.setattr(canopy_kit.gateway, "migrate_web_client", lambda: False)
    assert cli.main(["web", "migrate"]) == 2


def test_the_kit_finds_the_client_through_its_entry_points_and_never_imports_it():
    kit = Path(web_module.__file__).resolve().parents[1]
    importing = [str(path.relative_to(kit)) for path in kit.rglob("*.py")
                 if re.search(r"^\s*(from|import) canopy_web\b", path.read_text(), re.MULTILINE)]
    assert importing == []

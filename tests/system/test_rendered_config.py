"""What ``canopy`` renders for the installed services: the committed ``deploy/nginx/nginx.conf``
and ``deploy/rabbitmq/definitions.json`` must be current (``make deploy-config`` rewrites them),
nginx must accept the gateway configuration, the RabbitMQ definitions must be exactly what the
processes declare, and the local run's ports must be stable."""
from __future__ import annotations

import json
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from canopy_kit.production.gateway import container_config, render_nginx_conf
from canopy_kit.production.rabbitmq import render_definitions, service_routing_keys
from canopy_kit.production.topology import plan_processes
from canopy_kit.service import discover_services

REPOSITORY = Path(__file__).resolve().parents[2]
DEPLOY = REPOSITORY / "deploy"
REGENERATE = "out of date: run `make deploy-config` and commit the result"
SERVICES = sorted(discover_services())


def test_committed_gateway_config_is_current():
    rendered = render_nginx_conf(container_config(discover_services()))
    assert (DEPLOY / "nginx/nginx.conf").read_text() == rendered, REGENERATE


def test_committed_rabbitmq_definitions_are_current():
    committed = json.loads((DEPLOY / "rabbitmq/definitions.json").read_text())
    assert committed == render_definitions(service_routing_keys(discover_services())), REGENERATE


def test_nginx_accepts_the_committed_gateway_config(nginx_binary, tmp_path):
    # The container's upstream names do not resolve here; the loopback stands in for them.
    text = (DEPLOY / "nginx/nginx.conf").read_text()
    text = re.sub(r"server [a-z0-9-]+:8000;", "server 127.0.0.1:8000;", text)
    assert "server web:8000;" not in text and text.count("server 127.0.0.1:8000;") == len(SERVICES) + 1
    text = text.replace("/etc/nginx/canopy/cors-origins.map", str(DEPLOY / "nginx/cors-origins.map"))
    text = text.replace("pid /tmp/nginx.pid;", f"pid {tmp_path / 'nginx.pid'};")
    (tmp_path / "nginx.conf").write_text(text)
    result = subprocess.run([nginx_binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_policies_select_the_queues_they_are_for():
    policies = {p["name"]: re.compile(p["pattern"]) for p in render_definitions({})["policies"]}
    events, dead = policies["canopy-events-delivery-limit"], policies["canopy-dead-letters-bounded"]
    assert events.match("skills-exchange.events") and not events.match("skills-exchange.events.dead")
    assert dead.match("portfolio.events.dead") and not dead.match("portfolio.events")
    assert not events.match("portfolio.events.retry") and not dead.match("portfolio.events.retry")


@pytest.mark.integration
def test_definitions_agree_with_what_the_processes_declare(_rabbitmq_server):
    """Queues declared from the definitions first; the kit then declares its own topology over
    them, which RabbitMQ refuses (PRECONDITION_FAILED) if a single argument differs."""
    from kombu import Connection

    from canopy_kit.bus.topology import declare_consumer_topology

    unique = uuid.uuid4().hex[:10]
    exchange, prefix = f"canopy.test.{unique}", f"test.{unique}."
    keys = ("identity.person.registered", "identity.school.added")
    definitions = render_definitions({"probe": keys}, exchange_name=exchange, queue_prefix=prefix)
    with Connection(_rabbitmq_server) as connection:
        channel = connection.channel()
        try:
            for item in definitions["exchanges"]:
                channel.exchange_declare(item["name"], item["type"], durable=True, auto_delete=False)
            for item in definitions["queues"]:
                channel.queue_declare(item["name"], durable=True, auto_delete=False, arguments=item["arguments"])
            for item in definitions["bindings"]:
                channel.queue_bind(item["destination"], item["source"], item["routing_key"])
            declare_consumer_topology(connection, exchange_name=exchange, queue_name=f"{prefix}probe.events",
                                      routing_keys=keys)
            assert {q["name"] for q in definitions["queues"]} == {
                f"{prefix}probe.events", f"{prefix}probe.events.retry", f"{prefix}probe.events.dead"}
        finally:
            channel = connection.channel()
            for item in definitions["queues"]:
                channel.queue_delete(item["name"])
            for item in definitions["exchanges"]:
                channel.exchange_delete(item["name"])


def test_process_ports_are_stable_and_distinct():
    planned = plan_processes(["reporting", "identity", "portfolio"], 8100)
    assert [(p.name, p.port) for p in planned[:3]] == [("identity-api", 8101), ("identity-relay", 8102),
                                                      ("identity-consumer", 8103)]
    assert planned[3].name == "portfolio-api" and planned[3].port == 8111
    free = plan_processes(["identity", "portfolio"], 0)
    assert len({p.port for p in free}) == len(free)


def test_the_gateway_lets_the_web_clients_largest_upload_through():
    from canopy_kit.production.web import DEFAULT_MAX_UPLOAD_BYTES
    from canopy_web.settings import WebSettings

    assert WebSettings.__dataclass_fields__["max_upload_bytes"].default == DEFAULT_MAX_UPLOAD_BYTES

"""Putting the platform's RabbitMQ policies (``canopy_kit.production.rabbitmq.policies``: the quorum
delivery limit, at-least-once dead-lettering, bounded dead letters) on the broker ``up-prod`` runs
against.

Policies, unlike queue arguments, change on a running broker without redeclaring a queue, so they
are how an operator tunes them; but only the management API or ``rabbitmqctl`` can set them, not
AMQP. ``up-prod`` tries the management API (``RABBITMQ_MANAGEMENT_URL``, default the broker's host
on port 15672, with the broker's credentials), then ``rabbitmqctl`` when the broker is this
machine's default node, and otherwise says plainly that the policies are missing and how to add
them (``deploy/rabbitmq/definitions.json``, or ``canopy rabbitmq-definitions``).
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Mapping

from kombu.utils.url import url_to_parts

from canopy_kit.production.rabbitmq import policies

MANAGEMENT_PORT = 15672
DEFAULT_AMQP_PORT = 5672
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    vhost: str
    user: str
    password: str

    @classmethod
    def of(cls, bus_url: str) -> "Broker":
        parts = url_to_parts(bus_url)
        vhost = parts.path or "/"  # kombu has unquoted it
        return cls(parts.hostname or "localhost", parts.port or DEFAULT_AMQP_PORT, vhost,
                   parts.username or "guest", parts.password or "guest")


def _through_management(broker: Broker, wanted: list[dict], management_url: str) -> None:
    token = base64.b64encode(f"{broker.user}:{broker.password}".encode()).decode()
    for policy in wanted:
        path = f"/api/policies/{urllib.parse.quote(broker.vhost, safe='')}/{urllib.parse.quote(policy['name'])}"
        body = {key: policy[key] for key in ("pattern", "definition", "priority", "apply-to")}
        request = urllib.request.Request(management_url.rstrip("/") + path, data=json.dumps(body).encode(),
                                         method="PUT", headers={"Authorization": f"Basic {token}",
                                                                "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):  # raises HTTPError for an answer not 2xx
            pass


def _through_rabbitmqctl(broker: Broker, wanted: list[dict], ctl: str) -> None:
    for policy in wanted:
        subprocess.run([ctl, "set_policy", "-p", broker.vhost, "--apply-to", policy["apply-to"],
                        "--priority", str(policy["priority"]), policy["name"], policy["pattern"],
                        json.dumps(policy["definition"])], check=True, capture_output=True, timeout=60)


def apply_policies(bus_url: str, queue_prefix: str = "", env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Set the policies on ``bus_url``'s broker: ``(how, detail)``, ``how`` being ``management``,
    ``rabbitmqctl`` or ``missing`` (then ``detail`` says why and what to do)."""
    env = env or {}
    broker = Broker.of(bus_url)
    wanted = policies(queue_prefix, broker.vhost)
    host = f"[{broker.host}]" if ":" in broker.host else broker.host  # an IPv6 address in a URL
    management_url = env.get("RABBITMQ_MANAGEMENT_URL") or f"http://{host}:{MANAGEMENT_PORT}"
    tried = []
    try:
        _through_management(broker, wanted, management_url)
        return "management", f"{len(wanted)} policies set through {management_url}"
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
        tried.append(f"management API at {management_url}: {exc}")
    ctl = shutil.which("rabbitmqctl")
    if ctl and broker.host in LOOPBACK and broker.port == DEFAULT_AMQP_PORT:
        try:
            _through_rabbitmqctl(broker, wanted, ctl)
            return "rabbitmqctl", f"{len(wanted)} policies set with rabbitmqctl"
        except (OSError, subprocess.SubprocessError) as exc:
            stderr = getattr(exc, "stderr", b"") or b""
            tried.append(f"rabbitmqctl: {exc} {stderr.decode(errors='replace').strip()}".strip())
    else:
        tried.append("rabbitmqctl: not this machine's default broker" if ctl else "rabbitmqctl: not installed")
    return "missing", ("the broker has no Canopy policies (delivery limit, at-least-once dead-lettering); "
                       "import deploy/rabbitmq/definitions.json or set RABBITMQ_MANAGEMENT_URL. Tried: "
                       + "; ".join(tried))

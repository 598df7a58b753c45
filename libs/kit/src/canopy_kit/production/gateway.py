"""The production gateway: nginx.conf for the installed services, from one template.

The same template serves the local production run (upstreams on 127.0.0.1, files under the run
folder) and the containers of docker-compose and Kubernetes (upstreams ``<service>-api:8000`` and
``web:8000``), whose rendering is committed as ``deploy/nginx/nginx.conf``; a test keeps that file
current. With the web client installed, every path that is not ``/api/`` or ``/docs/`` (or one
nginx answers itself) is the client's.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from canopy_kit.web.app import MAX_BODY_BYTES
from canopy_kit.web.browsable_docs import DOCS_PATH, docs_page, service_documents
from canopy_kit.web.errors import CODES, error_body

# Paths whose requests count against the per-client login limit.
LOGIN_PATHS = ("/api/identity/v1/auth/login",)
# The web client's sign-in form: its POSTs count against a limit of the same rate, per browser.
WEB_SIGN_IN_PATH = "/sign-in"

# What nginx itself can answer with (a path it does not route, a body too big, the login limit, an
# upstream down or slow), each as the one JSON error body. An unreachable upstream is a 503 with
# Retry-After, like any other dependency that is down. A client that stalls mid-request gets no
# answer at all: nginx drops the connection after the client timeout (logged as 408).
GATEWAY_ERRORS = {
    400: "the request could not be read",
    403: "forbidden",
    404: "no such path; services live under /api/<service>/",
    405: "method not allowed",
    413: "the request body is larger than this service accepts",
    414: "the request line is too long",
    429: "too many attempts; wait and try again",
    500: "internal error",
    503: "the service is unavailable; try again shortly",
    504: "the service did not answer in time",
}
EXTRA_CODES = {414: "uri_too_long", 504: "gateway_timeout"}
# nginx statuses answered with another one's body: a refused or broken upstream is "unavailable".
REMAPPED = {502: 503}
# What nginx itself can answer on the web client's paths, as a page for a person rather than JSON.
WEB_PAGES = {
    413: ("Too large", "That is larger than Canopy accepts. Choose a smaller file and try again."),
    429: ("Too many attempts", "Too many attempts to sign in from here. Wait a minute, then try again."),
    500: ("Something went wrong", "Something went wrong on our side. Try again shortly."),
    503: ("Unavailable for a moment", "Canopy is unavailable for a moment. Try again shortly."),
    504: ("Unavailable for a moment", "Canopy did not answer in time. Try again shortly."),
}
UNAVAILABLE_RETRY_AFTER_SECONDS = 5
# Behind a load balancer or an ingress controller (private addresses), the client for the login
# limit is the one they name in X-Forwarded-For, and the host and scheme the browser used are the
# ones they name in X-Forwarded-Host and -Proto; a client connecting directly cannot claim another.
# The web client's containers call the gateway from these networks too (docker-compose's networks
# are in 172.16.0.0/12 or 192.168.0.0/16, a cluster's pods usually in 10.0.0.0/8), so it names the
# browser the same way.
PRIVATE_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")


@dataclass(frozen=True)
class GatewayConfig:
    upstreams: dict[str, str]  # service -> host:port of its API
    listen: str = "8080"
    web_root: str = "/usr/share/nginx/html/canopy"
    cors_origins_path: str = "/etc/nginx/canopy/cors-origins.map"
    mime_types_path: str = "/etc/nginx/mime.types"  # Debian's nginx and the nginx images ship it
    pid_path: str = "/tmp/nginx.pid"
    access_log: str = "/dev/stdout"
    error_log: str = "/dev/stderr"
    temp_dir: str | None = None  # None: nginx's compiled-in folders
    worker_processes: str = "auto"
    user: str | None = None
    client_timeout_seconds: int = 10
    upstream_timeout_seconds: int = 30
    login_rate_per_minute: int = 10
    login_burst: int = 5
    trusted_proxies: tuple[str, ...] = ()  # CIDRs whose X-Forwarded-For names the real client
    body_limits: tuple[tuple[str, int], ...] = ()  # (service, bytes) for services taking more than the kit's
    login_paths: tuple[str, ...] = LOGIN_PATHS
    web_upstream: str | None = None  # host:port of the web client; None: / lists the services
    web_max_body_bytes: int = 0  # the largest request the web client takes (uploads)


def nginx_quotable(text: str) -> str:
    """``text`` unchanged, once it is known to fit a single-quoted nginx string as it is."""
    if "'" in text or "$" in text or "\\" in text:  # nginx would end the string, expand a variable, unescape
        raise ValueError(f"cannot quote for nginx: {text}")
    return text


def error_json(status: int) -> str:
    """The body nginx returns for ``status``, as a single-quoted nginx string can hold it."""
    code = EXTRA_CODES.get(status) or CODES.get(status, "error")
    return nginx_quotable(json.dumps(error_body(status, GATEWAY_ERRORS[status], code=code)))


def error_page(status: int) -> str:
    """The page nginx returns for ``status`` on the web client's paths (no script, no style)."""
    title, message = (html.escape(text) for text in WEB_PAGES[status])
    return nginx_quotable(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title} - Canopy</title></head><body><main><h1>{title}</h1><p>{message}</p>'
        '<p><a href="/">Back to Canopy</a></p></main></body></html>')


def body_limits(services: Mapping) -> tuple[tuple[str, int], ...]:
    """Services that accept bodies over the kit's limit (uploads) say so in their spec,
    ``extra={"max_body_bytes": N}``; the gateway lets that much through on their paths."""
    return tuple((name, int(spec.extra["max_body_bytes"])) for name, spec in services.items()
                 if spec.extra.get("max_body_bytes", MAX_BODY_BYTES) != MAX_BODY_BYTES)


def container_config(services: Mapping) -> GatewayConfig:
    """The gateway of docker-compose and Kubernetes for installed service specs: each API is
    ``<service>-api:8000``, the web client (when installed) ``web:8000``, nginx runs unprivileged
    on 8080 and logs to stdout/stderr."""
    from canopy_kit.production.web import web_client_installed, web_max_body_bytes

    web = web_client_installed()
    return GatewayConfig(upstreams={name: f"{name}-api:8000" for name in services},
                         trusted_proxies=PRIVATE_NETWORKS, body_limits=body_limits(services),
                         web_upstream="web:8000" if web else None,
                         web_max_body_bytes=web_max_body_bytes({}) if web else 0)


def local_config(folder: Path, *, upstreams: dict[str, str], listen: str, web_root: Path, logs: Path,
                 **tuning) -> GatewayConfig:
    """The gateway of a run on this machine: its files under ``folder``, its logs under ``logs``."""
    return GatewayConfig(
        upstreams=upstreams, listen=listen, web_root=str(web_root.resolve()),
        cors_origins_path=str(folder / "cors-origins.map"),
        pid_path=str(folder / "nginx.pid"), access_log=str(logs / "gateway-access.log"),
        error_log=str(logs / "gateway-error.log"), temp_dir=str(folder / "temp"), worker_processes="2",
        user="root" if os.geteuid() == 0 else None, **tuning,
    )


def write_local_gateway(nginx: str, folder: Path, config: GatewayConfig, origins: Iterable[str]) -> list[str]:
    """Write nginx.conf and the origins map into ``folder`` and have nginx check them; returns the
    command that runs this nginx in the foreground (SIGQUIT stops it gracefully)."""
    (folder / "temp").mkdir(parents=True, exist_ok=True)
    Path(config.error_log).parent.mkdir(parents=True, exist_ok=True)
    Path(config.cors_origins_path).write_text(render_cors_origins(origins))
    (folder / "nginx.conf").write_text(render_nginx_conf(config))
    argv = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    check = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the rendered configuration:\n{check.stderr}")
    return argv


def render_nginx_conf(config: GatewayConfig) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(loader=PackageLoader("canopy_kit", "templates"), undefined=StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.get_template("nginx.conf.j2")
    login_locations = [
        (path, service, path[len(f"/api/{service}"):])
        for path in config.login_paths
        for service in config.upstreams
        if path.startswith(f"/api/{service}/")
    ]
    return template.render(
        config=config,
        max_body_bytes=MAX_BODY_BYTES,
        body_limits=dict(config.body_limits),
        errors={status: error_json(status) for status in GATEWAY_ERRORS},
        remapped=REMAPPED,
        unavailable_retry_after=UNAVAILABLE_RETRY_AFTER_SECONDS,
        login_retry_after=math.ceil(60 / config.login_rate_per_minute),
        login_locations=login_locations,
        web_pages={status: error_page(status) for status in WEB_PAGES},
        web_sign_in_path=WEB_SIGN_IN_PATH,
        index_json=nginx_quotable(json.dumps({"name": "Canopy", "docs": DOCS_PATH,
                                              "services": service_documents(config.upstreams)})),
        docs_page=nginx_quotable(docs_page(service_documents(config.upstreams))),
        docs_upstream=next(iter(config.upstreams)),
    )


def render_cors_origins(origins: Iterable[str]) -> str:
    """The map file of origins allowed to call the API from a browser or a mobile app's web view."""
    lines = ["# Origins allowed to call the API cross-origin (the mobile app's web views), one per line as"]
    lines += ["# \"<origin>\" 1;  -- exact match; nginx reads this file at start and on reload."]
    for origin in origins:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9.:\[\]-]+", origin):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")
        lines.append(f'"{origin}" 1;')
    return "\n".join(lines) + "\n"

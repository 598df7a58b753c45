"""Which processes the production topology runs for the installed services, and on which ports.

Every service runs three: ``api`` (gunicorn; its port serves HTTP and ``/metrics``), ``relay``
and ``consumer`` (their port serves ``/metrics`` only). The web client, when installed, runs one,
``web`` (gunicorn, HTTP and ``/metrics``, like an api). The same list drives the local run, and
the tests hold docker-compose, Kubernetes and Prometheus to it.
"""
from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Iterable

PROCESS_KINDS = ("api", "relay", "consumer")
WEB_KIND = "web"  # the web client's one process (canopy_kit.production.web)
PORTS_PER_SERVICE = 10  # room for more process kinds without renumbering


@dataclass(frozen=True)
class Process:
    service: str
    kind: str
    port: int

    @property
    def name(self) -> str:
        # The web client's one process is "web"; a service's are "<service>-<kind>".
        return self.service if self.kind == self.service else f"{self.service}-{self.kind}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/metrics"


def free_port() -> int:
    """A port nothing listens on now (the OS's pick; another process could take it meanwhile)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plan_processes(services: Iterable[str], base_port: int) -> list[Process]:
    """Service ``i`` gets ``base_port + 10 * i`` onwards, one port per kind, in a stable order
    (services sorted by name); a base port of 0 takes free ports from the OS instead."""
    processes = []
    for index, service in enumerate(sorted(services)):
        for offset, kind in enumerate(PROCESS_KINDS, start=1):
            port = free_port() if base_port == 0 else base_port + PORTS_PER_SERVICE * index + offset
            processes.append(Process(service, kind, port))
    return processes


def plan_web(base_port: int) -> Process:
    """The web client takes ``base_port`` itself, below every service's ports (so adding a service
    never moves it); a base port of 0 takes a free port instead."""
    return Process(WEB_KIND, WEB_KIND, free_port() if base_port == 0 else base_port)

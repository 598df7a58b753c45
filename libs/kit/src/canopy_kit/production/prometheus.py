"""A Prometheus configuration for the processes of the local production run, with the same jobs
and labels as ``deploy/prometheus/prometheus.yml`` so that the alert rules and the dashboard work
on either. Written as JSON, which Prometheus reads as the YAML it is."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from canopy_kit.production.topology import PROCESS_KINDS, WEB_KIND, Process


def scrape_jobs(processes: Iterable[Process], address) -> list[dict]:
    """One job per process kind (``canopy-api``, ``canopy-relay``, ``canopy-consumer``, and
    ``canopy-web`` when the web client runs), each target labelled with its ``canopy_service``;
    ``address(process)`` gives ``host:port``."""
    processes = list(processes)
    kinds = [*PROCESS_KINDS, *([WEB_KIND] if any(process.kind == WEB_KIND for process in processes) else [])]
    return [
        {
            "job_name": f"canopy-{kind}",
            "static_configs": [{"targets": [address(process)], "labels": {"canopy_service": process.service}}
                               for process in processes if process.kind == kind],
        }
        for kind in kinds
    ]


def render_local_config(processes: Iterable[Process], *, rules: Path | None, scrape_seconds: int = 5) -> str:
    config = {
        "global": {"scrape_interval": f"{scrape_seconds}s", "evaluation_interval": f"{scrape_seconds}s"},
        "rule_files": [str(rules)] if rules is not None else [],
        "scrape_configs": scrape_jobs(processes, lambda process: f"127.0.0.1:{process.port}"),
    }
    return json.dumps(config, indent=2) + "\n"

"""Memory: resident memory of each process kind after the loads, and of the whole embedded default.

The api workers' figure comes from the read/write benchmark's portfolio workers and the relay's and
consumer's from the propagation benchmark's processes, each read from /proc after its load (run
alone, this module first runs both briefly). The embedded default (``canopy up``, demo data
loaded) is started with a data folder of its own, measured as the sum over its whole process
tree once every service is ready and the demo data has loaded, then stopped.
Targets: under 150 MB per api worker, under 1 GB for the whole embedded default.

    python -m bench.memory [--quick (without demo data)] [--no-write]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    benchmark_arguments, child_pids, free_port, markdown_table, met, publish, rss_mb, stop_process, wait_for_http,
)

TITLE = "Memory"
API_WORKER_TARGET_MB, EMBEDDED_TARGET_MB = 150, 1024
DEMO_WAIT_SECONDS = 90


def embedded_default_rss(*, demo: bool = True) -> tuple[float, int]:
    """Total RSS in MB of ``canopy up`` (with its demo data unless told otherwise), and how many
    processes it ran."""
    from canopy_kit.service import discover_services

    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        log = Path(data_dir) / "up.log"
        env = {name: value for name, value in os.environ.items()
               if not name.endswith(("_DATABASE_URL", "_BUS_URL")) and name not in ("DATABASE_URL", "BUS_URL")}
        with log.open("w") as output:
            up = subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", "up", "--port", str(port),
                                   *([] if demo else ["--no-demo"])],
                                  env={**env, "CANOPY_DATA_DIR": data_dir}, stdout=output, stderr=subprocess.STDOUT)
        try:
            for service in discover_services():
                wait_for_http(f"http://127.0.0.1:{port}/api/{service}/health/ready", timeout=120)
            deadline = time.monotonic() + DEMO_WAIT_SECONDS
            while demo and "demo login" not in log.read_text() and time.monotonic() < deadline and up.poll() is None:
                time.sleep(0.5)
            pids = [up.pid, *child_pids(up.pid)]
            return sum(rss_mb(pid) for pid in pids), len(pids)
        finally:
            stop_process(up, timeout=60)


def measure(api_worker_rss: list[float] | None = None, process_rss: dict[str, float] | None = None, *,
            demo: bool = True) -> dict:
    if api_worker_rss is None:
        from bench import http_api

        api_worker_rss = http_api.measure(seconds=1, repeats=1)["api_worker_rss_mb"]
    if process_rss is None:
        from bench import propagation

        process_rss = propagation.measure(rate=50, seconds=2)["rss_mb"]
    embedded_mb, embedded_processes = embedded_default_rss(demo=demo)
    return {"api worker": max(api_worker_rss), **process_rss, "embedded": embedded_mb,
            "embedded processes": embedded_processes, "demo": demo}


def report(results: dict) -> str:
    api, embedded = results["api worker"], results["embedded"]
    rows = [["api worker (portfolio, gunicorn, after the read/write load)", f"{api:.0f} MB",
             f"< {API_WORKER_TARGET_MB} MB", met(api < API_WORKER_TARGET_MB)],
            ["relay (identity, after the propagation load)", f"{results['relay']:.0f} MB", "", ""],
            ["consumer (probe, after the propagation load)", f"{results['consumer']:.0f} MB", "", ""],
            [f"whole embedded default (`canopy up` {'with' if results['demo'] else 'without'} demo data, "
             f"{results['embedded processes']} processes)",
             f"{embedded:.0f} MB", f"< {EMBEDDED_TARGET_MB} MB", met(embedded < EMBEDDED_TARGET_MB)]]
    return ("Resident memory (VmRSS) read from /proc; the api worker figure is the larger of the two "
            "workers. No baseline: the targets are absolute.\n\n"
            + markdown_table(["process", "RSS", "target", "met"], rows))


def main(argv=None) -> int:
    args = benchmark_arguments(__doc__).parse_args(argv)
    publish(TITLE, report(measure(demo=not args.quick)), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

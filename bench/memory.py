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

import time

from bench.common import benchmark_arguments, child_pids, embedded_platform, markdown_table, met, publish, rss_mb

TITLE = "Memory"
API_WORKER_TARGET_MB, EMBEDDED_TARGET_MB = 150, 1024
DEMO_WAIT_SECONDS = 90


def embedded_default_rss(*, demo: bool = True) -> tuple[float, int]:
    """Total RSS in MB of ``canopy up`` (with its demo data unless told otherwise), and how many
    processes it ran."""
    with embedded_platform(demo=demo) as (up, _port, _data_dir, log):
        deadline = time.monotonic() + DEMO_WAIT_SECONDS
        while demo and "demo login" not in log.read_text() and time.monotonic() < deadline and up.poll() is None:
            time.sleep(0.5)
        pids = [up.pid, *child_pids(up.pid)]
        return sum(rss_mb(pid) for pid in pids), len(pids)


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

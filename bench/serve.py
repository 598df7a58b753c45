"""Serve one of the benchmark's WSGI apps under the gunicorn settings both of them share.

    python -m bench.serve portfolio|baseline --port N
"""
from __future__ import annotations

import argparse

WORKERS, THREADS = 2, 1  # one request at a time per worker: throughput is then the workers' CPU


def main(argv=None) -> int:
    from bench import http_apps
    from canopy_kit.processes import serve_wsgi

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=("portfolio", "baseline"))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    factory = {"portfolio": http_apps.portfolio_app, "baseline": http_apps.baseline_app}[args.app]
    serve_wsgi(factory, bind=f"127.0.0.1:{args.port}", workers=WORKERS, threads=THREADS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The production topology's command lines:

    canopy up-prod [--port 8080] [--base-port 8100] [--prometheus 9090] ...   run it on this machine
    canopy gateway-config [--output FILE]        nginx.conf of docker-compose and Kubernetes
    canopy rabbitmq-definitions [--output FILE]  exchanges, queues, bindings, policies
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text)
    else:
        print(text, end="")


def _up_prod(args, services) -> int:
    from canopy_kit.logs import configure_logging
    from canopy_kit.production.launcher import LocalRunOptions, run_local_production

    configure_logging("up-prod", as_json=False)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per migration step is noise here
    listed = [origin.strip() for origin in os.environ.get("CANOPY_CORS_ORIGINS", "").split(",")]
    origins = tuple(args.cors_origin or [origin for origin in listed if origin])
    options = LocalRunOptions(
        run_dir=Path(args.run_dir or Path(os.environ.get("CANOPY_DATA_DIR", "var")) / "prod"),
        port=args.port, base_port=args.base_port, workers=args.workers, threads=args.threads,
        demo=not args.no_demo, gunicorn_config=Path(args.gunicorn_config),
        web_root=Path(args.web_root) if args.web_root else None, cors_origins=origins,
        client_timeout_seconds=args.client_timeout, upstream_timeout_seconds=args.upstream_timeout,
        login_rate_per_minute=args.login_rate, prometheus_port=args.prometheus, web=not args.no_web,
    )
    return run_local_production(services, options)


def _gateway_config(args, services) -> int:
    from canopy_kit.production.gateway import container_config, render_nginx_conf

    _write(render_nginx_conf(container_config(services)), args.output)
    return 0


def _rabbitmq_definitions(args, services) -> int:
    from canopy_kit.production.rabbitmq import render_definitions, service_routing_keys

    definitions = render_definitions(service_routing_keys(services), exchange_name=args.exchange)
    _write(json.dumps(definitions, indent=2) + "\n", args.output)
    return 0


def add_commands(subparsers) -> None:
    up = subparsers.add_parser("up-prod", help="run the production topology on this machine (nginx, "
                                               "PostgreSQL, RabbitMQ; no Docker)")
    up.add_argument("--port", type=int, default=8080, help="the gateway's port (0: any free port)")
    up.add_argument("--base-port", type=int, default=8100,
                    help="service i's api, relay and consumer take base+10i+1..3 (0: any free ports)")
    up.add_argument("--workers", type=int, help="gunicorn workers per API (default: GUNICORN_WORKERS or 2)")
    up.add_argument("--threads", type=int, help="threads per worker (default: GUNICORN_THREADS or 4)")
    up.add_argument("--no-demo", action="store_true", help="do not load demo data")
    up.add_argument("--run-dir", help="logs, rendered configs and state.json (default: var/prod)")
    up.add_argument("--gunicorn-config", default="deploy/gunicorn.conf.py")
    up.add_argument("--no-web", action="store_true",
                    help="do not run the web client (clients/web) even though it is installed")
    up.add_argument("--web-root", help="without the web client: static files to serve at / when present")
    up.add_argument("--cors-origin", action="append",
                    help="an origin allowed cross-origin (repeat; default: CANOPY_CORS_ORIGINS, comma-separated)")
    up.add_argument("--client-timeout", type=int, default=10, help="seconds a client may stall a request")
    up.add_argument("--upstream-timeout", type=int, default=30, help="seconds a service may take to answer")
    up.add_argument("--login-rate", type=int, default=10, help="login attempts per minute per client")
    up.add_argument("--prometheus", type=int, metavar="PORT",
                    help="also run Prometheus (Debian's package) on this port, scraping every process")
    up.set_defaults(production_command=_up_prod)

    gateway = subparsers.add_parser("gateway-config", help="print nginx.conf for docker-compose and Kubernetes")
    gateway.add_argument("--output", help="write to this file instead of printing")
    gateway.set_defaults(production_command=_gateway_config)

    definitions = subparsers.add_parser("rabbitmq-definitions", help="print RabbitMQ definitions for the services")
    definitions.add_argument("--exchange", default="canopy.events")
    definitions.add_argument("--output", help="write to this file instead of printing")
    definitions.set_defaults(production_command=_rabbitmq_definitions)

"""``canopy``: one command line for every service and for the embedded platform.

    canopy up [--port 8000] [--no-demo]       the whole platform on the embedded default
    canopy up-prod [--port 8080]               the production topology on this machine (nginx,
                                               PostgreSQL, RabbitMQ; see canopy_kit.production)
    canopy gateway-config | rabbitmq-definitions   production config for the installed services
    canopy migrate | demo                      every installed service
    canopy gateway [--port 8000]               every service's API behind /api/<service>/
    canopy <service> api [--port N] [--config deploy/gunicorn.conf.py]   one service's API under gunicorn
    canopy <service> relay | consumer | worker
    canopy <service> migrate | demo | openapi
    canopy <service> revision -m MESSAGE [--autogenerate] [--database-url URL]   its next migration
    canopy <service> dead-letters list | show EVENT_ID | redrive [EVENT_ID ...]
    canopy <service> <its own commands>        e.g. canopy identity create-trust
    canopy web [--port N] [--workers N] [--threads N] [--config deploy/gunicorn.conf.py]
                                               the web client (clients/web) under gunicorn
    canopy web migrate                         create or upgrade the web client's database
"""
from __future__ import annotations

import argparse
import json
import sys

from canopy_kit.db.migrations import make_revision, migrate
from canopy_kit.embedded import run_embedded
from canopy_kit.logs import configure_logging
from canopy_kit.production.commands import add_commands as add_production_commands
from canopy_kit.service import discover_services
from canopy_kit.settings import normalise_database_url
from canopy_kit.startup import service_runtime


def _print(data) -> None:
    print(json.dumps(data, indent=2, default=str))


API_DEFAULTS = {"port": 8001, "workers": 2, "threads": 4}
WEB_DEFAULTS = {**API_DEFAULTS, "port": 8002}
# The embedded gateway's access log: one line per request, the path without its query string (a
# query can carry a search for a person's name). Requests gunicorn refuses itself are logged too.
GATEWAY_ACCESS_LOG_FORMAT = '%(t)s %({x-request-id}o)s %(m)s %({script_name}e)s%(U)s %(s)s %(M)sms %(h)s'
GATEWAY_SERVER_OPTIONS = {"accesslog": "-", "access_log_format": GATEWAY_ACCESS_LOG_FORMAT,
                          # every `canopy up` would otherwise claim the same socket in the home folder
                          "control_socket_disable": True}


def _api_options(args, defaults: dict = API_DEFAULTS) -> dict:
    """gunicorn options from ``canopy <service> api`` (or ``canopy web``): what was given; without
    a config file the defaults fill the rest, with one the file does."""
    given = {"port": args.port, "workers": args.workers, "threads": args.threads}
    if args.config is None:
        given = {name: defaults[name] if value is None else value for name, value in given.items()}
    port = given.pop("port")
    return {**given, "bind": None if port is None else f"0.0.0.0:{port}"}


def _gunicorn_arguments(parser, defaults: dict, *, suppress: bool = False) -> None:
    """--port, --workers, --threads and --config. ``suppress``: for a subcommand repeating its
    parent's options, which then keep what was given before the subcommand."""
    unset = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument("--port", type=int, help=f"default {defaults['port']}, or the config file's bind", **unset)
    parser.add_argument("--workers", type=int, help=f"default {defaults['workers']}, or the config file's", **unset)
    parser.add_argument("--threads", type=int, help=f"default {defaults['threads']}, or the config file's", **unset)
    parser.add_argument("--config", help="a gunicorn config file, e.g. deploy/gunicorn.conf.py; "
                                         "--port, --workers and --threads override it", **unset)


def _web_parser(subparsers) -> None:
    web = subparsers.add_parser("web", help="the web client (clients/web) as its own process, behind the gateway")
    _gunicorn_arguments(web, WEB_DEFAULTS)
    commands = web.add_subparsers(dest="web_command")
    # "api" is what the one Dockerfile's image runs by default, for the client as for a service.
    _gunicorn_arguments(commands.add_parser("api", help="serve it under gunicorn (the same as no command)"),
                        WEB_DEFAULTS, suppress=True)
    commands.add_parser("migrate", help="create or upgrade its database (WEB_DATABASE_URL or DATABASE_URL)")


def _run_web(args) -> int:
    """The client is found through its ``canopy.clients`` entry points, never imported by name."""
    from canopy_kit.gateway import migrate_web_client
    from canopy_kit.production.web import WEB, web_app_factory, web_settings

    settings = web_settings(None)
    configure_logging(WEB, level=settings.log_level, as_json=settings.log_json)
    if args.web_command == "migrate":
        if not migrate_web_client():
            print("canopy web migrate: the web client is not installed", file=sys.stderr)
            return 2
        print("web: migrated")
        return 0
    try:
        create_web_app = web_app_factory()
    except LookupError as exc:
        print(f"canopy web: {exc}", file=sys.stderr)
        return 2
    from canopy_kit.processes import serve_wsgi

    serve_wsgi(create_web_app, config_file=args.config, **_api_options(args, WEB_DEFAULTS))
    return 0


def _service_parser(subparsers, name: str, spec) -> None:
    parser = subparsers.add_parser(name, help=spec.title)
    commands = parser.add_subparsers(dest="command", required=True)
    api = commands.add_parser("api", help="serve the HTTP API under gunicorn")
    _gunicorn_arguments(api, API_DEFAULTS)
    for kind in ("relay", "consumer", "worker"):
        commands.add_parser(kind, help=f"run the {kind}")
    commands.add_parser("migrate", help="apply database migrations")
    revision = commands.add_parser("revision", help=f"write {name}'s next migration, after its head")
    revision.add_argument("-m", "--message", required=True, help="what it changes (also its file name)")
    revision.add_argument("--autogenerate", action="store_true",
                          help="write the changes that turn a database at head into the tables in code")
    revision.add_argument("--database-url", help="with --autogenerate: the database to compare, migrated to "
                                                 "head first (default: a throwaway SQLite file)")
    commands.add_parser("demo", help="load demo data (idempotent)")
    commands.add_parser("openapi", help="print the OpenAPI document")
    letters = commands.add_parser("dead-letters", help="list, show and re-drive dead letters")
    letter_commands = letters.add_subparsers(dest="action", required=True)
    letter_commands.add_parser("list")
    show = letter_commands.add_parser("show")
    show.add_argument("event_id")
    redrive = letter_commands.add_parser("redrive", help="all dead letters, or the given event ids")
    redrive.add_argument("event_ids", nargs="*")
    if spec.commands is not None:
        spec.commands(commands)


def _revision(args, spec) -> int:
    """``canopy <service> revision``: needs no runtime, only the service's tables and migrations."""
    if args.database_url and not args.autogenerate:
        print("--database-url is for --autogenerate", file=sys.stderr)
        return 2
    path = make_revision(spec.migrations_dir, args.message, metadata=spec.metadata if args.autogenerate else None,
                         database_url=normalise_database_url(args.database_url) if args.database_url else None)
    print(f"{spec.name}: wrote {path}")
    return 0


def _run_service_command(args, name: str, spec) -> int:
    command = args.command
    if command == "revision":
        return _revision(args, spec)
    runtime = service_runtime(name, spec)
    if command == "api":
        from canopy_kit.processes import serve_wsgi
        from canopy_kit.web.app import create_service_app

        runtime.dispose()
        serve_wsgi(lambda: create_service_app(service_runtime(name, spec)), config_file=args.config,
                   **_api_options(args))
    elif command in ("relay", "consumer", "worker"):
        from canopy_kit.processes import run_process

        run_process(command, runtime)
    elif command == "migrate":
        migrate(runtime.engine, spec.migrations_dir)
        print(f"{name}: migrated")
    elif command == "demo":
        _print(spec.load_demo(runtime) if spec.load_demo else {"demo": "none"})
    elif command == "openapi":
        from canopy_kit.web.app import create_service_app

        app = create_service_app(runtime)
        _print(app.test_client().get("/openapi.json").get_json())
    elif command == "dead-letters":
        from canopy_kit.bus.dead_letters import DeadLetters

        letters = DeadLetters(runtime.settings, runtime.uow_factory)
        if args.action == "list":
            _print([letter.summary() for letter in letters.list()])
        elif args.action == "show":
            letter = letters.show(args.event_id)
            if letter is None:
                print(f"no dead letter {args.event_id}", file=sys.stderr)
                return 1
            _print(letter.detail())
        else:
            count = letters.redrive(set(args.event_ids) if args.event_ids else None)
            print(f"re-drove {count} dead letter(s) to {name}")
    else:
        try:
            return args.handler(runtime, args) or 0
        except OSError as exc:
            if exc.filename is None:
                raise
            # A file the command was given cannot be read: the operator's to fix, not a traceback.
            print(f"canopy {name} {command}: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
            return 2
        finally:
            runtime.dispose()
    runtime.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    services = discover_services()
    parser = argparse.ArgumentParser(prog="canopy", description="Canopy platform command line")
    subparsers = parser.add_subparsers(dest="target", required=True)
    up = subparsers.add_parser("up", help="run the whole platform on the embedded default")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--no-demo", action="store_true")
    gateway = subparsers.add_parser("gateway", help="serve every service behind /api/<service>/")
    gateway.add_argument("--port", type=int, default=8000)
    gateway.add_argument("--threads", type=int, default=8)
    subparsers.add_parser("migrate", help="migrate every service's database")
    subparsers.add_parser("demo", help="load every service's demo data")
    add_production_commands(subparsers)
    _web_parser(subparsers)
    for name, spec in services.items():
        _service_parser(subparsers, name, spec)
    args = parser.parse_args(argv)

    if getattr(args, "production_command", None) is not None:
        return args.production_command(args, services)
    if args.target == "web":
        return _run_web(args)

    if args.target == "up":
        return run_embedded(services, port=args.port, demo=not args.no_demo)
    if args.target == "gateway":
        from canopy_kit.gateway import create_gateway
        from canopy_kit.processes import serve_wsgi

        configure_logging("gateway")
        serve_wsgi(create_gateway, bind=f"127.0.0.1:{args.port}", workers=1, threads=args.threads,
                   extra=GATEWAY_SERVER_OPTIONS)
        return 0
    if args.target in ("migrate", "demo"):
        for name, spec in services.items():
            args.command = args.target
            _run_service_command(args, name, spec)
        return 0
    return _run_service_command(args, args.target, services[args.target])


if __name__ == "__main__":
    sys.exit(main())

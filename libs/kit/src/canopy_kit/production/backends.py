"""The servers the production topology needs (PostgreSQL and RabbitMQ): the local defaults, a
check that they answer before anything starts, every service's database and queues made ready."""
from __future__ import annotations

from typing import Mapping

from canopy_kit.settings import Settings

LOCAL_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/canopy_{service}"
LOCAL_BUS_URL = "amqp://guest:guest@127.0.0.1:5672//"


def production_environment(base: Mapping[str, str]) -> dict[str, str]:
    """The environment with the local PostgreSQL and RabbitMQ filled in where none is named."""
    env = dict(base)
    env.setdefault("DATABASE_URL", LOCAL_DATABASE_URL)
    env.setdefault("BUS_URL", LOCAL_BUS_URL)
    return env


def backend_problems(services: Mapping, env: Mapping[str, str]) -> list[str]:
    """Why the topology cannot start on these settings; empty when PostgreSQL and RabbitMQ answer."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from canopy_kit.bus.connection import open_connection

    problems: list[str] = []
    servers, brokers = {}, set()
    for name in services:
        settings = Settings.from_env(name, env)
        url = make_url(settings.database_url)
        if url.get_backend_name() != "postgresql":
            problems.append(f"{name}: DATABASE_URL must name PostgreSQL, not {url.get_backend_name()}")
        else:
            servers.setdefault(url.set(database="postgres").render_as_string(hide_password=False), name)
        if settings.bus_transport not in ("amqp", "pyamqp", "amqps"):
            problems.append(f"{name}: BUS_URL must name RabbitMQ (amqp://), not {settings.bus_transport}://")
        else:
            brokers.add(settings.bus_url)
    for server, name in servers.items():
        engine = create_engine(server, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            problems.append(f"PostgreSQL for {name} is not reachable: {type(exc).__name__}: {exc}".strip())
        finally:
            engine.dispose()
    for bus_url in brokers:
        try:
            with open_connection(bus_url) as connection:
                connection.ensure_connection(max_retries=1, timeout=5)
        except Exception as exc:
            problems.append(f"RabbitMQ is not reachable: {type(exc).__name__}: {exc}")
    return problems


def declare_consumer_queues(services: Mapping, env: Mapping[str, str]) -> None:
    """Every consuming service's queue and bindings, before any relay publishes: the topic exchange
    drops an event no queue is bound for yet, and a directory built from events would miss it."""
    from canopy_kit.bus.connection import open_connection
    from canopy_kit.bus.topology import declare_consumer_topology

    for name, spec in services.items():
        keys = spec.subscriptions().routing_keys
        if keys:
            settings = Settings.from_env(name, env)
            with open_connection(settings.bus_url) as connection:
                declare_consumer_topology(connection, exchange_name=settings.exchange,
                                          queue_name=settings.queue_name(name), routing_keys=keys)


def apply_broker_policies(services: Mapping, env: Mapping[str, str]) -> list[str]:
    """The platform's policies on every broker the services use; a line for the operator each."""
    from canopy_kit.production.broker_policies import apply_policies

    brokers = {}
    for name in services:
        settings = Settings.from_env(name, env)
        brokers.setdefault((settings.bus_url, settings.queue_prefix), name)
    lines = []
    for (bus_url, prefix), name in sorted(brokers.items(), key=lambda item: item[1]):
        how, detail = apply_policies(bus_url, prefix, env)
        lines.append(("warning: " if how == "missing" else "") + f"RabbitMQ policies for {name}'s broker: {detail}")
    return lines


def migrate_databases(services: Mapping, env: Mapping[str, str]) -> None:
    """Create and migrate every service's database (kit tables, then the service's own)."""
    from canopy_kit.db.migrations import migrate
    from canopy_kit.service import Runtime

    for name, spec in services.items():
        runtime = Runtime(spec, Settings.from_env(name, env))
        try:
            migrate(runtime.engine, spec.migrations_dir)
        finally:
            runtime.dispose()

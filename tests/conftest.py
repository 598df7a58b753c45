"""Fixtures the cross-service tests share."""
import pytest

from canopy_kit.service import Runtime
from canopy_kit.testing import declare_queue, make_settings, prepare_database
from canopy_kit.testing.directory import TokenMinter


@pytest.fixture
def services_on_the_bus(postgres_url, rabbitmq_url, bus_names, unique):
    """``start(identity_spec, spec, …)``: each service on its own PostgreSQL database and on one
    RabbitMQ exchange; the first on the test's database, the rest on fresh ones (dropped after).
    Services after the first trust tokens from ``minter``; each consuming one has its queue."""
    from canopy_kit.db.migrations import drop_database, ensure_database

    minter, runtimes, databases = TokenMinter(), [], []
    common = dict(bus_url=rabbitmq_url, exchange=bus_names.exchange, queue_prefix=bus_names.queue_prefix)

    def start(*specs):
        for position, spec in enumerate(specs):
            database = postgres_url
            if position:
                database = postgres_url.rsplit("/", 1)[0] + f"/canopy_test_{unique}_{spec.name.replace('-', '_')}"
                ensure_database(database)
                databases.append(database)
                bus_names.queue(spec.name)
                spec = minter.spec_with_keys(spec)
            runtime = Runtime(spec, make_settings(spec.name, database_url=database, **common))
            prepare_database(runtime)
            if position:
                declare_queue(runtime)
            runtimes.append(runtime)
        return runtimes

    start.minter = minter
    yield start
    for runtime in runtimes:
        runtime.dispose()
    for database in databases:
        drop_database(database)

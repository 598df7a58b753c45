from pathlib import Path

import pytest

from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.probe import probe_spec


@pytest.fixture
def made_runtimes():
    """Runtimes a test's factories built, disposed of after it."""
    made: list[Runtime] = []
    yield made
    for runtime in made:
        runtime.dispose()


@pytest.fixture
def probe_factory(bus_names, made_runtimes):
    """Build probe runtimes on a given database and bus, with this test's own names."""

    def build(database_url: str, bus_url: str = "memory://", name: str = "probe", **overrides) -> Runtime:
        bus_names.queue(name)
        settings = make_settings(name, database_url=database_url, bus_url=bus_url, exchange=bus_names.exchange,
                                 queue_prefix=bus_names.queue_prefix, consumer_retry_delay_ms=50, **overrides)
        runtime = Runtime(probe_spec(name), settings)
        prepare_database(runtime)
        made_runtimes.append(runtime)
        return runtime

    return build


@pytest.fixture
def web_service(sqlite_url, made_runtimes):
    """``web_service(name, metadata, blueprints)``: a test service's runtime on this test's SQLite
    database, its tables made."""

    def build(name: str, metadata, blueprints) -> Runtime:
        spec = ServiceSpec(name=name, title=name.title(), metadata=metadata, migrations_dir=Path("/none"),
                           blueprints=blueprints)
        runtime = Runtime(spec, make_settings(name, database_url=sqlite_url))
        prepare_database(runtime)
        made_runtimes.append(runtime)
        return runtime

    return build


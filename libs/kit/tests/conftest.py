import pytest

from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.probe import probe_spec


@pytest.fixture
def probe_factory(bus_names):
    """Build probe runtimes on a given database and bus, with this test's own names."""
    made = []

    def build(database_url: str, bus_url: str = "memory://", name: str = "probe", **overrides) -> Runtime:
        bus_names.queue(name)
        settings = make_settings(name, database_url=database_url, bus_url=bus_url, exchange=bus_names.exchange,
                                 queue_prefix=bus_names.queue_prefix, consumer_retry_delay_ms=50, **overrides)
        runtime = Runtime(probe_spec(name), settings)
        prepare_database(runtime)
        made.append(runtime)
        return runtime

    yield build
    for runtime in made:
        runtime.dispose()

"""Every installed service keeps the one shape of ADR 0019 (``canopy_kit.testing.shape``)."""
import pytest

from canopy_kit.testing.shape import installed_sources, shape_problems

SOURCES = installed_sources()


def test_every_service_is_found():
    assert {source.spec.name for source in SOURCES} >= {"identity", "portfolio", "observation", "reporting"}


@pytest.mark.parametrize("source", SOURCES, ids=lambda source: source.spec.name)
def test_the_service_keeps_the_shape(source):
    assert shape_problems(source) == []

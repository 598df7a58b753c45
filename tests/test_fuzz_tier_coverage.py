"""The fuzz tier reaches every installed service: each has its test_fuzz.py running
``canopy_kit.testing.fuzz.fuzz_service`` under the ``fuzz`` marker (``make test-fuzz``)."""
from pathlib import Path

from canopy_kit.service import discover_services

REPOSITORY = Path(__file__).resolve().parents[1]


def test_every_installed_service_runs_the_fuzz_tier():
    services = discover_services()
    assert len(services) >= 4
    for name in services:
        test = REPOSITORY / "services" / name / "tests" / "unit" / "test_fuzz.py"
        assert test.is_file(), f"{name} has no fuzz tier: add {test.relative_to(REPOSITORY)}"
        text = test.read_text()
        assert "fuzz_service(" in text and "pytest.mark.fuzz" in text, f"{test}: run fuzz_service under the marker"

"""The benchmark scripts run (on tiny sizes) so that they cannot rot; their figures live in
docs/performance.md, never in assertions about time."""
import pytest

from bench import import_staff

pytestmark = pytest.mark.integration


def test_import_benchmark_runs_on_a_tiny_file(_postgres_server):
    backends = {"SQLite": import_staff.sqlite_database(), "PostgreSQL": import_staff.postgres_database}
    results = import_staff.measure(backends, rows=30, repeats=1)
    for backend in backends:
        assert set(results[backend]) == {"baseline", "check", "apply", "reapply"}
        assert all(seconds > 0 for seconds in results[backend].values())
    table = import_staff.report(results, rows=30, repeats=1)
    assert "| SQLite |" in table and "| PostgreSQL |" in table

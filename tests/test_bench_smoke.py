"""The benchmark scripts run (on tiny sizes) so that they cannot rot; their figures live in
docs/performance.md, never in assertions about time."""
import shutil

import pytest

from bench import consumer, http_api, import_staff, memory, propagation, relay, reports

pytestmark = pytest.mark.integration


def test_import_benchmark_runs_on_a_tiny_file(_postgres_server):
    backends = {"SQLite": import_staff.sqlite_database(), "PostgreSQL": import_staff.postgres_database}
    results = import_staff.measure(backends, rows=30, repeats=1)
    for backend in backends:
        assert set(results[backend]) == {"baseline", "check", "apply", "reapply"}
        assert all(seconds > 0 for seconds in results[backend].values())
    table = import_staff.report(results, rows=30, repeats=1)
    assert "| SQLite |" in table and "| PostgreSQL |" in table


def test_http_benchmark_loads_both_apps_briefly(_postgres_server, _rabbitmq_server):
    if shutil.which("wrk") is None:
        from canopy_kit.testing.plugin import unavailable

        unavailable("wrk", "not installed; apt-get install wrk")
    results = http_api.measure(seconds=1, repeats=1)
    for kind in http_api.KINDS:
        for app in ("canopy", "baseline"):
            load = results[kind][app]
            assert load.requests_per_second > 0 and 0 < load.p50_ms <= load.p99_ms
            assert load.errors == 0
    assert len(results["api_worker_rss_mb"]) == 2 and all(mb > 0 for mb in results["api_worker_rss_mb"])
    assert "| GET one activity" in http_api.report(results, seconds=1, repeats=1)


def test_relay_benchmark_publishes_a_few_events(_postgres_server, _rabbitmq_server):
    results = relay.measure(events=20, repeats=1)
    assert all(results[name] > 0 for name in ("relay", "confirmed one at a time", "no confirms", "body bytes"))
    assert "| Canopy relay" in relay.report(results, events=20, repeats=1)


def test_consumer_benchmark_handles_a_few_events(_postgres_server, _rabbitmq_server):
    results = consumer.measure(events=20, repeats=1)
    assert results["kit"] > 0 and results["raw"] > 0
    assert "| Canopy consumer" in consumer.report(results, events=20, repeats=1)


def test_propagation_benchmark_follows_a_few_events_across_processes(_postgres_server, _rabbitmq_server):
    [results] = propagation.measure_rates([10], seconds=1)
    assert results["events"] == 10 and results["achieved_rate"] > 0
    assert 0 < results["p50_ms"] <= results["p99_ms"] <= results["max_ms"]
    assert set(results["rss_mb"]) == {"relay", "consumer"} and all(mb > 0 for mb in results["rss_mb"].values())
    assert "| 10 events/s" in propagation.report([results], seconds=1)


def test_memory_benchmark_measures_the_embedded_default():
    results = memory.measure([80.0], {"relay": 90.0, "consumer": 80.0}, demo=False)
    assert results["embedded"] > 0 and results["embedded processes"] > 1
    assert "| whole embedded default" in memory.report(results)


def test_reports_benchmark_generates_a_small_trust_and_compares_with_the_raw_rows(_postgres_server):
    results = reports.measure(reports.QUICK)
    assert set(results["reports"]) == {"observations", "cpd", "cpd-types", "impact", "participation"}
    for figures in results["reports"].values():
        assert figures["rows"] > 0 and 0 < figures["p50"] <= figures["p95"] and figures["naive"] > 0
    assert results["setup"]["ratings"] > 0 and results["events_per_second"] > 0
    assert "| `observations`" in reports.report(results)


def test_idle_benchmark_samples_the_embedded_default_and_times_an_event_across_it():
    from bench import idle

    results = idle.measure(idle.WINDOW_SECONDS, 1, demo=False, settle=1, quiet=1)
    assert len(results["cpu_percent"]) == 1  # one window sampled
    assert len(results["latency_ms"]) == 1 and results["latency_ms"][0] > 0
    assert "| whole platform, idle" in idle.report(results)

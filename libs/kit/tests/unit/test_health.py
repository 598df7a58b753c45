"""Health as Kubernetes reads it: ready means the database answers; a stuck outbox or an
unreachable broker is reported as degraded (and as a metric), never as unready."""
from canopy_kit.testing import probe
from canopy_kit.web.app import create_service_app

CLOSED_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens on port 1


def _client(runtime):
    return create_service_app(runtime, testing=True).test_client()


def _broker_gauge(client, service="probe"):
    for line in client.get("/metrics").get_data(as_text=True).splitlines():
        if line.startswith(f'canopy_broker_reachable{{service="{service}"}}'):
            return float(line.split()[-1])
    return None


def test_ready_is_ok_when_database_outbox_and_broker_are(probe_factory, sqlite_url):
    client = _client(probe_factory(sqlite_url))
    assert client.get("/health/live").json == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "checks": {"database": "ok", "outbox": "ok", "broker": "ok"}}
    assert _broker_gauge(client) == 1


def test_a_stuck_outbox_is_degraded_not_unready(probe_factory, sqlite_url):
    runtime = probe_factory(sqlite_url, outbox_stuck_seconds=-1)
    probe.publish_people(runtime, 1)
    ready = _client(runtime).get("/health/ready")
    assert ready.status_code == 200 and "Retry-After" not in ready.headers
    assert ready.json["status"] == "degraded"
    assert ready.json["checks"]["outbox"].startswith("degraded: the oldest unpublished event is")
    assert ready.json["checks"]["database"] == "ok"


def test_an_unreachable_broker_is_degraded_and_a_metric_not_unready(probe_factory, sqlite_url):
    client = _client(probe_factory(sqlite_url, bus_url=CLOSED_BROKER))
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json["status"] == "degraded" and ready.json["checks"]["broker"].startswith("unreachable:")
    assert _broker_gauge(client) == 0
    assert client.get("/health/live").status_code == 200


def test_a_database_that_does_not_answer_is_unready_with_retry_after(probe_factory, sqlite_url, tmp_path):
    runtime = probe_factory(sqlite_url)
    runtime.engine.dispose()
    from sqlalchemy import create_engine

    runtime.engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.db'}")
    ready = _client(runtime).get("/health/ready")
    assert ready.status_code == 503 and ready.headers["Retry-After"] == "5"
    assert ready.json["status"] == "unavailable" and ready.json["checks"]["database"].startswith("unavailable:")

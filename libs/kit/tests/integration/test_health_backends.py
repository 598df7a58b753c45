"""Readiness on the real backends: PostgreSQL decides it, RabbitMQ only degrades it."""
import pytest

from canopy_kit.web.app import create_service_app

pytestmark = pytest.mark.integration


def test_ready_on_postgres_and_rabbitmq_and_degraded_when_rabbitmq_is_unreachable(
        probe_factory, postgres_url, rabbitmq_url):
    serving = create_service_app(probe_factory(postgres_url, bus_url=rabbitmq_url), testing=True).test_client()
    assert serving.get("/health/ready").json["status"] == "ok"
    lost = create_service_app(probe_factory(postgres_url, bus_url="amqp://guest:guest@127.0.0.1:1//", name="lost"),
                              testing=True).test_client()
    ready = lost.get("/health/ready")
    assert ready.status_code == 200 and ready.json["status"] == "degraded"
    assert ready.json["checks"]["database"] == "ok" and ready.json["checks"]["broker"].startswith("unreachable:")


def test_unready_when_postgres_does_not_answer(probe_factory, postgres_url):
    from sqlalchemy import create_engine

    runtime = probe_factory(postgres_url)
    runtime.engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing",
                                   connect_args={"connect_timeout": 2})
    ready = create_service_app(runtime, testing=True).test_client().get("/health/ready")
    assert ready.status_code == 503 and ready.json["status"] == "unavailable"

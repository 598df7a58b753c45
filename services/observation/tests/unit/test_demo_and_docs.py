"""Demo data loads once and only when the directory is projected; the API is fully described."""
from datetime import date

from sqlalchemy import func, select

from canopy_kit.testing import outbox_events
from observation.db import records, templates
from observation.demo import load_demo


def _count(service, table):
    with service.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_demo_waits_for_the_directory_then_loads_a_year_once(observation, request):
    assert load_demo(observation.runtime) == {"created": False, "pending": True, "reason": "directory not yet projected"}
    assert _count(observation, templates) == 0
    request.getfixturevalue("trust")  # the directory arrives from identity's events
    first = load_demo(observation.runtime, today=date(2026, 7, 15))
    assert first["created"] is True and first["records"] == _count(observation, records) > 100
    with observation.runtime.engine.connect() as conn:
        names = set(conn.execute(select(templates.c.name)).scalars())
    assert names == {"Developmental drop-in", "Learning walk"}
    events = outbox_events(observation.runtime)
    record_events = [e for e in events if e.event_type.startswith("observation.record.")]
    assert len(record_events) == first["records"]
    assert any(e.payload["ratings"] for e in record_events)
    assert all(not e.payload["ratings"] for e in record_events if e.payload["privacy"] == "developmental")
    second = load_demo(observation.runtime, today=date(2026, 7, 15))
    assert second["created"] is False and second["records"] == first["records"]
    assert len(outbox_events(observation.runtime)) == len(events)  # nothing written twice


def test_openapi_documents_every_endpoint_with_schemas_and_errors(observation):
    spec = observation.client.get("/openapi.json").json
    assert {"/v1/records", "/v1/records/{record_id}", "/v1/templates", "/v1/frameworks",
            "/v1/coaching/principles", "/v1/coaching/pairs"} <= set(spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success and "content" in responses[success[0]], f"{method} {path}"
            assert "default" in responses and "401" in responses, f"{method} {path}"
            assert operation["security"] == [{"bearerAuth": []}], f"{method} {path}"
            if "requestBody" in operation:
                assert "422" in responses, f"{method} {path}"
    patch = spec["paths"]["/v1/records/{record_id}"]["patch"]
    assert "412" in patch["responses"] and any(p["name"] == "If-Match" for p in patch["parameters"])

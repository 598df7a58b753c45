"""Demo data loads once and only when what it needs of the directory is projected, through the
commands, so every record has its events; the API is fully described."""
from datetime import date

from sqlalchemy import func, select

from canopy_kit.testing import outbox_events
from canopy_kit.testing.harness import StaffDirectory
from observation.demo import load_demo
from observation.tables import action_steps, frameworks, records, templates

TODAY = date(2026, 7, 15)


def _count(service, table):
    with service.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _assert_every_record_has_its_events(service) -> int:
    """Each record was recorded and shared (acknowledged, if it is), each completed step has its
    event, and each record's latest event is its state as stored: what reporting counts."""
    with service.runtime.engine.connect() as conn:
        stored = {row.id: row for row in conn.execute(select(records))}
        open_steps = dict(conn.execute(select(action_steps.c.record_id, func.count()).where(
            action_steps.c.status == "open").group_by(action_steps.c.record_id)).all())
        completed = set(conn.execute(select(action_steps.c.id).where(action_steps.c.status == "completed")).scalars())
    events = outbox_events(service.runtime)
    ids = {kind: {e.payload["record_id"] for e in events if e.event_type == f"observation.record.{kind}"}
           for kind in ("recorded", "shared", "acknowledged")}
    assert ids["recorded"] == ids["shared"] == set(stored)
    assert ids["acknowledged"] == {i for i, row in stored.items() if row.status == "acknowledged"}
    assert {e.payload["action_step_id"] for e in events if e.event_type == "observation.action_step.completed"} \
        == completed
    latest = {e.payload["record_id"]: e.payload for e in events if e.event_type.startswith("observation.record.")}
    for record_id, row in stored.items():
        assert (latest[record_id]["status"], latest[record_id]["open_action_steps"]) == (
            row.status, open_steps.get(record_id, 0)), record_id
    return len(stored)


def test_demo_waits_for_the_directory_then_loads_a_year_once(observation, request):
    assert load_demo(observation.runtime) == {"created": False, "pending": True, "reason": "directory not yet projected"}
    assert _count(observation, templates) == 0
    request.getfixturevalue("trust")  # the directory arrives from identity's events
    first = load_demo(observation.runtime, today=TODAY)
    assert first["created"] is True and first["records"] == _count(observation, records) > 100
    with observation.runtime.engine.connect() as conn:
        names = set(conn.execute(select(templates.c.name)).scalars())
    assert names == {"Developmental drop-in", "Learning walk"}
    events = outbox_events(observation.runtime)
    record_events = [e for e in events if e.event_type.startswith("observation.record.")]
    assert _assert_every_record_has_its_events(observation) == first["records"]
    assert any(e.payload["ratings"] for e in record_events)
    assert all(not e.payload["ratings"] for e in record_events if e.payload["privacy"] == "developmental")
    second = load_demo(observation.runtime, today=TODAY)
    assert second["created"] is False and second["records"] == first["records"]
    assert len(outbox_events(observation.runtime)) == len(events)  # nothing written twice


def test_the_demo_waits_for_employments_and_observer_roles_writing_nothing_until_they_arrive(observation):
    """In a fresh start identity's people can arrive before their employments and roles: the
    demo then answers pending (the kit asks again) instead of writing a year with no one in it."""
    directory = StaffDirectory(observation, "demo")
    ash = directory.school("Ash Primary")
    head, tom, cara = (directory.person(name) for name in ("Hana", "Tom", "Cara"))
    directory.publish()
    written = (len(outbox_events(observation.runtime)), _count(observation, frameworks))

    def waits_for(reason):
        answer = load_demo(observation.runtime, today=TODAY)
        assert answer["pending"] is True and answer["created"] is False and answer["reason"] == reason, answer
        assert (len(outbox_events(observation.runtime)), _count(observation, frameworks)) == written
        assert _count(observation, templates) == _count(observation, records) == 0

    waits_for("employments and roles not yet projected for 3 of 3 people")
    for person in (head, tom):
        directory.employ(person, ash)
    directory.publish()
    waits_for("employments and roles not yet projected for 1 of 3 people")
    directory.employ(cara, ash)
    directory.publish()
    waits_for("observer roles not yet projected at 1 of 1 schools")
    directory.grant(head, "headteacher", "school", ash)
    directory.publish()
    loaded = load_demo(observation.runtime, today=TODAY)
    assert loaded["created"] is True and loaded.get("pending") is None
    assert _assert_every_record_has_its_events(observation) == loaded["records"] > 0
    with observation.runtime.engine.connect() as conn:
        observed = set(conn.execute(select(records.c.observee_id, records.c.observer_id)).all())
    assert observed == {(tom, head), (cara, head)}  # the head observes; nobody observes themselves


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

"""Every id a request takes, found in observation's OpenAPI document by its declared kind, is
refused as another trust's or an unknown id, naming the field and writing nothing
(``canopy_kit.testing.tenancy``). A new operation taking ids fails here until it has an example."""
from types import SimpleNamespace

import pytest

from canopy_kit.testing.tenancy import Call, document_problems, probe_operation


def _principles(client, headers) -> dict[str, str]:
    listed = client.get("/v1/frameworks", headers=headers).json["items"]
    framework = next(f for f in listed if f["key"] == "teachers-standards-2012")
    return {item["code"]: item["id"] for item in framework["items"]}


def _published_version(client, headers, sections) -> str:
    created = client.post("/v1/templates", headers=headers, json={"name": "Elm form", "sections": sections})
    template_id = created.json["id"]
    assert client.post(f"/v1/templates/{template_id}/publish", headers=headers).status_code == 200
    return client.get(f"/v1/templates/{template_id}", headers=headers).json["versions"][-1]["id"]


@pytest.fixture
def world(observation, trust, other_trust, form, principles, sections, make_drop_in):
    """Oak with a shared drop-in about Tom (an open action step) and a later one; Elm with one of
    everything observation keeps, so each kind has another trust's real id to send."""
    client = observation.client

    def record(headers, body):
        created = client.post("/v1/records", headers=headers, json=body)
        assert created.status_code == 201, created.json
        return client.get(f"/v1/records/{created.json['id']}", headers=headers).json

    elm_admin = other_trust.headers(other_trust.admin)
    elm_version = _published_version(client, elm_admin, sections(_principles(client, elm_admin)))
    record(other_trust.headers(other_trust.coach), make_drop_in(observee=other_trust.teacher,
                                                                template_version_id=elm_version))
    earlier = record(trust.headers(trust.coach), make_drop_in())
    later = record(trust.headers(trust.coach), make_drop_in(action_steps=[]))
    return SimpleNamespace(trust=trust, form=form, principles=principles, sections=sections, earlier=earlier["id"],
                           step=earlier["action_steps"][0]["id"], later=later["id"], make_drop_in=make_drop_in)


EXAMPLES = {
    "POST /v1/templates": lambda w: [
        Call(w.trust.headers(w.trust.admin), "/v1/templates", {
            "name": "Walk", "shared_with_school_ids": [w.trust.school_a], "sections": w.sections(w.principles)}),
        Call(w.trust.headers(w.trust.admin), "/v1/templates", {
            "name": "Ash walk", "owner_school_id": w.trust.school_a, "sections": w.sections(w.principles)})],
    "PUT /v1/templates/{template_id}/draft": lambda w: [
        Call(w.trust.headers(w.trust.admin), f"/v1/templates/{w.form['template_id']}/draft",
             {"sections": w.sections(w.principles, label="Questioning, revised")})],
    "POST /v1/records": lambda w: [
        Call(w.trust.headers(w.trust.coach), "/v1/records", w.make_drop_in(
            school_id=w.trust.school_a, follows_up_record_id=w.earlier, completed_action_step_ids=[w.step]))],
    "POST /v1/records/{record_id}/shares": lambda w: [
        Call(w.trust.headers(w.trust.teacher), f"/v1/records/{w.earlier}/shares", {"person_id": w.trust.colleague})],
    "POST /v1/records/{record_id}/action-steps/{step_id}/complete": lambda w: [
        Call(w.trust.headers(w.trust.coach), f"/v1/records/{w.earlier}/action-steps/{w.step}/complete",
             {"in_record_id": w.later})],
    "POST /v1/coaching/pairs": lambda w: [
        Call(w.trust.headers(w.trust.leader), "/v1/coaching/pairs", {
            "principle_id": w.principles["6"], "coach_id": w.trust.coach, "coachee_id": w.trust.teacher,
            "school_id": w.trust.school_a})],
    "GET /v1/templates": lambda w: [Call(w.trust.headers(w.trust.admin), "/v1/templates")],
    "GET /v1/records": lambda w: [Call(w.trust.headers(w.trust.coach), "/v1/records")],
    "GET /v1/coaching/principles": lambda w: [Call(w.trust.headers(w.trust.leader), "/v1/coaching/principles")],
}


def test_every_id_a_request_takes_declares_its_kind_and_is_probed(observation):
    assert document_problems(observation.client, observation.runtime, EXAMPLES) == []


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_another_trusts_or_an_unknown_id_is_refused_and_writes_nothing(observation, world, operation):
    assert probe_operation(observation.client, observation.runtime, operation, EXAMPLES[operation](world)) == []

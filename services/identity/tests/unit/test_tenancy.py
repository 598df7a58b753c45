"""Every id a request takes, found in identity's OpenAPI document by its declared kind, is refused
as another trust's or an unknown id, naming the field and writing nothing
(``canopy_kit.testing.tenancy``). A new operation taking ids fails here until it has an example."""
from types import SimpleNamespace

import pytest

from canopy_kit.testing.tenancy import Call, document_problems, probe_operation


@pytest.fixture
def world(identity, trust):
    """Oak (the caller's trust) with a group of schools; Elm with one of everything identity keeps."""
    other = type(trust)(identity, slug="elm")
    client = identity.client
    for trust_ in (trust, other):
        created = client.post("/v1/groups", headers=trust_.headers(trust_.admin),
                              json={"name": "Hub", "school_ids": [trust_.school_a]})
        assert created.status_code == 201, created.json
    group = client.get("/v1/groups", headers=trust.headers(trust.admin)).json[0]["id"]
    job = client.get(f"/v1/people/{trust.teacher}", headers=trust.headers(trust.admin)).json["employments"][0]["id"]
    return SimpleNamespace(trust=trust, admin=trust.headers(trust.admin), group=group, job=job)


def _job(school_id: str) -> dict:
    return {"school_id": school_id, "job_title": "Tutor", "staff_category": "teaching", "starts_on": "2025-09-01"}


EXAMPLES = {
    "POST /v1/people": lambda w: [Call(w.admin, "/v1/people", {
        "given_name": "Nia", "family_name": "New", "email": "nia@oak.example.org",
        "employment": _job(w.trust.school_a)})],
    "POST /v1/people/{person_id}/employments": lambda w: [
        Call(w.admin, f"/v1/people/{w.trust.teacher}/employments", _job(w.trust.school_b))],
    "POST /v1/people/{person_id}/transfers": lambda w: [Call(w.admin, f"/v1/people/{w.trust.teacher}/transfers", {
        "from_employment_id": w.job, "to_school_id": w.trust.school_b, "effective_on": "2025-09-01"})],
    "POST /v1/groups": lambda w: [Call(w.admin, "/v1/groups", {"name": "North", "school_ids": [w.trust.school_a]})],
    "PUT /v1/groups/{group_id}": lambda w: [
        Call(w.admin, f"/v1/groups/{w.group}", {"name": "Hub", "school_ids": [w.trust.school_a, w.trust.school_b]})],
    "POST /v1/role-grants": lambda w: [Call(w.admin, "/v1/role-grants", {
        "person_id": w.trust.teacher, "role": "coach", "scope_type": "school", "scope_id": w.trust.school_a})],
    "POST /v1/line-managers": lambda w: [Call(w.admin, "/v1/line-managers", {
        "person_id": w.trust.colleague, "manager_id": w.trust.manager, "school_id": w.trust.school_a})],
    "GET /v1/people": lambda w: [Call(w.admin, "/v1/people")],
    "GET /v1/audit": lambda w: [Call(w.admin, "/v1/audit")],
}


def test_every_id_a_request_takes_declares_its_kind_and_is_probed(identity):
    assert document_problems(identity.client, identity.runtime, EXAMPLES) == []


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_another_trusts_or_an_unknown_id_is_refused_and_writes_nothing(identity, world, operation):
    assert probe_operation(identity.client, identity.runtime, operation, EXAMPLES[operation](world)) == []

"""A school and a group of schools open by id for everyone who may list them (the caller's trust),
exactly as the lists show them; another trust's do not exist for the caller."""
import pytest


@pytest.fixture
def trusts(identity, trust):
    other = type(trust)(identity, slug="elm")
    for each in (trust, other):
        created = identity.client.post("/v1/groups", headers=each.headers(each.admin),
                                       json={"name": "Hub", "school_ids": [each.school_a, each.school_b]})
        assert created.status_code == 201, created.json
    return trust, other


def test_a_school_opens_as_the_list_shows_it_closed_too(identity, trusts):
    trust, other = trusts
    client, admin = identity.client, trust.headers(trust.admin)
    assert client.patch(f"/v1/schools/{trust.school_b}", headers=admin, json={"status": "closed"}).status_code == 200
    listed = {s["id"]: s for s in client.get("/v1/schools", headers=admin).json["items"]}
    for caller in (trust.admin, trust.teacher, trust.teacher_b, trust.leader):
        for school_id in (trust.school_a, trust.school_b):
            reply = client.get(f"/v1/schools/{school_id}", headers=trust.headers(caller))
            assert reply.status_code == 200 and reply.json == listed[school_id]
    assert listed[trust.school_b]["status"] == "closed"
    foreign = client.get(f"/v1/schools/{other.school_a}", headers=admin)
    assert foreign.status_code == 404 and foreign.json["code"] == "not_found"
    assert client.get(f"/v1/schools/{trust.school_a}").status_code == 401


def test_a_group_opens_as_the_list_shows_it(identity, trusts):
    trust, other = trusts
    client = identity.client
    [group] = client.get("/v1/groups", headers=trust.headers(trust.admin)).json
    assert sorted(group["school_ids"]) == sorted([trust.school_a, trust.school_b])
    for caller in (trust.admin, trust.teacher, trust.head_b):
        reply = client.get(f"/v1/groups/{group['id']}", headers=trust.headers(caller))
        assert reply.status_code == 200 and reply.json == group
    [foreign] = client.get("/v1/groups", headers=other.headers(other.admin)).json
    refused = client.get(f"/v1/groups/{foreign['id']}", headers=trust.headers(trust.admin))
    assert refused.status_code == 404 and refused.json["code"] == "not_found"
    assert client.get("/v1/groups/no-such-group", headers=trust.headers(trust.admin)).status_code == 404

"""Publishing a form or a framework answers what was published, as its own GET shows it, with the
version number clients read before."""


def test_publishing_a_form_answers_the_published_version(trust, sections, principles):
    client, admin = trust.harness.client, trust.headers(trust.admin)
    template_id = client.post("/v1/templates", headers=admin,
                              json={"name": "Drop-in", "sections": sections(principles)}).json["id"]
    published = client.post(f"/v1/templates/{template_id}/publish", headers=admin)
    assert published.status_code == 200
    assert published.json["version"] == 1 and published.json["status"] == "published"
    assert published.json["published_at"]
    assert [[item["id"] for item in section["items"]] for section in published.json["sections"]] == [
        [item["id"] for item in section["items"]] for section in sections(principles)]
    shown = client.get(f"/v1/templates/{template_id}/versions/1", headers=admin)
    assert published.json == shown.json and published.headers["ETag"] == shown.headers["ETag"]


def test_publishing_a_framework_answers_it_at_the_published_version(trust):
    client, admin = trust.harness.client, trust.headers(trust.admin)
    items = [{"code": "P1", "title": "Questioning"}, {"code": "P2", "title": "Feedback"}]
    framework_id = client.post("/v1/frameworks", headers=admin,
                               json={"key": "principles", "name": "Our principles", "items": items}).json["id"]
    assert client.post(f"/v1/frameworks/{framework_id}/publish", headers=admin).json["version"] == 1
    drafted = client.post(f"/v1/frameworks/{framework_id}/versions", headers=admin, json={"items": items[:1]})
    assert drafted.json == {"version": 2}
    published = client.post(f"/v1/frameworks/{framework_id}/publish", headers=admin)
    assert published.status_code == 200
    assert published.json["version"] == 2 and published.json["status"] == "published"
    assert [item["code"] for item in published.json["items"]] == ["P1"]
    assert published.json == client.get(f"/v1/frameworks/{framework_id}?version=2", headers=admin).json

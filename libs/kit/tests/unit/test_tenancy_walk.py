"""The tenancy test finds id fields from a document alone: nested, in lists, behind a nullable
reference; and it names every field called like an id that declares no kind."""
from canopy_kit.testing.tenancy import id_fields, missing_examples, undeclared_id_fields
from canopy_kit.web.errors import AbsentId, ApiError, from_http_exception

KIND = {"type": "string", "x-canopy-id": "school"}
DOCUMENT = {
    "components": {"schemas": {
        "Job": {"type": "object", "properties": {"school_id": KIND, "title": {"type": "string"}}},
        "Person": {"type": "object", "properties": {
            "job": {"anyOf": [{"$ref": "#/components/schemas/Job"}, {"type": "object", "nullable": True}]},
            "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}},
            "school_ids": {"type": "array", "items": KIND},
            "manager_id": {"type": "string"}}}}},
    "paths": {"/v1/people": {
        "post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Person"}}}}},
        "get": {"parameters": [{"in": "query", "name": "school_id", "schema": KIND},
                               {"in": "query", "name": "role_id", "schema": {"type": "string"}}]}}},
}


def test_every_id_field_is_found_with_its_path_and_kind():
    found = {(f.operation, f.location, f.name, f.kind, f.many) for f in id_fields(DOCUMENT)}
    assert found == {("POST /v1/people", "body", "job.school_id", "school", False),
                     ("POST /v1/people", "body", "jobs.0.school_id", "school", False),
                     ("POST /v1/people", "body", "school_ids", "school", True),
                     ("GET /v1/people", "query", "school_id", "school", False)}
    assert missing_examples(DOCUMENT, {"POST /v1/people": None}) == {"GET /v1/people"}


def test_a_field_named_like_an_id_without_a_kind_is_reported():
    assert undeclared_id_fields(DOCUMENT) == ["GET /v1/people query role_id",
                                              "POST /v1/people body manager_id application/json"]


def test_a_foreign_id_among_other_field_errors_makes_the_answer_404():
    from flask import Flask

    with Flask("t").app_context():
        error = ApiError(422, "bad", errors={"activity_id": [AbsentId("no such activity in your trust")],
                                             "title": ["Missing data for required field."]})
        response = from_http_exception(error)
    assert response.status_code == 404 and response.json["code"] == "not_found"
    assert set(response.json["errors"]) == {"activity_id", "title"} and "activity_id" in response.json["message"]

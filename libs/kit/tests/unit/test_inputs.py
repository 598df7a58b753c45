"""Every request body and parameter is decoded and checked before a view sees it
(``canopy_kit.web.inputs``): too deep, not Unicode, a NUL, not finite, too large an integer; and a
retried ``Idempotency-Key`` compares what the body means, not how it was typed."""
import math

import pytest
from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from canopy_kit.web.app import create_service_app
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.inputs import INT64_MAX, MAX_JSON_DEPTH, NOT_FINITE, NOT_UNICODE, NUL, OUT_OF_RANGE
from canopy_kit.web.request_uow import current_uow

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
              Column("title", String(200), nullable=False))


class NoteIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    score = fields.Float(load_default=None)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)


class NoteOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class NoteWithScore(NoteOut):
    score = fields.Float()


class Search(Schema):
    q = fields.String(load_default=None)


def _blueprints():
    blp = Blueprint("notes", __name__, url_prefix="/v1/notes")

    @blp.route("", methods=["POST"])
    @idempotent
    @blp.arguments(NoteIn)
    @blp.response(201, NoteOut)
    def create(body):
        new_id = current_uow().session.execute(notes.insert().values(title=body["title"])).inserted_primary_key[0]
        return {"id": new_id, "title": body["title"]}

    @blp.route("", methods=["GET"])
    @blp.arguments(Search, location="query")
    @blp.response(200, NoteOut(many=True))
    def search(args):
        query = select(notes).where(notes.c.title.contains(args["q"] or ""))
        return [row._mapping for row in current_uow().session.execute(query)]

    @blp.route("/<int:number>", methods=["GET"])
    @blp.response(200, NoteOut)
    @error_responses(blp, 404)
    def by_number(number):
        return {"id": number, "title": "numbered"}

    @blp.route("/<name>/score", methods=["GET"])
    @blp.response(200, NoteWithScore)
    @error_responses(blp, 404)
    def not_a_number(name):
        return {"id": 1, "title": name, "score": math.nan}  # a stored NaN, as older data might hold

    @blp.route("/upload", methods=["POST"])
    @blp.doc(requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"title": {"type": "string"}}}}}})
    @blp.response(201, NoteOut)
    def upload():
        new_id = current_uow().session.execute(notes.insert().values(title=request.form["title"])).inserted_primary_key[0]
        return {"id": new_id, "title": request.form["title"]}

    return [blp]


@pytest.fixture
def runtime(web_service):
    return web_service("notes", metadata, _blueprints)


@pytest.fixture
def client(runtime):
    return create_service_app(runtime, testing=True).test_client()


def _count(runtime) -> int:
    with runtime.engine.connect() as conn:
        return len(conn.execute(select(notes.c.id)).all())


def _post(client, raw: str, **headers):
    return client.post("/v1/notes", data=raw, content_type="application/json", headers=headers)


def test_deeply_nested_json_is_a_400_naming_the_body_not_a_recursion_error(client, runtime):
    for depth in (MAX_JSON_DEPTH + 2, 5000):
        response = _post(client, '{"title": "x", "answers": {"a": ' + "[" * depth + "]" * depth + "}}")
        assert response.status_code == 400, response.json
        assert response.json["code"] == "bad_request"
        assert response.json["errors"] == {"body": [f"is nested more than {MAX_JSON_DEPTH} levels deep"]}
    assert _count(runtime) == 0


@pytest.mark.parametrize("raw, errors", [
    ('{"title": "a\\ud800@x.org"}', {"title": [NOT_UNICODE]}),
    ('{"title": "a\\u0000b"}', {"title": [NUL]}),
    ('{"title": "ok", "answers": {"rooms": [1, "\\udfff"]}}', {"answers": {"rooms": {"1": [NOT_UNICODE]}}}),
    ('{"title": "ok", "score": NaN}', {"score": [NOT_FINITE]}),
    ('{"title": "ok", "answers": {"rooms": Infinity}}', {"answers": {"rooms": [NOT_FINITE]}}),
    ('{"title": "ok", "answers": {"rooms": -1e999}}', {"answers": {"rooms": [NOT_FINITE]}}),
    (f'{{"title": "ok", "answers": {{"n": {INT64_MAX + 1}}}}}', {"answers": {"n": [OUT_OF_RANGE]}}),
    ('{"title": "ok", "answers": {"n": ' + "9" * 5000 + "}}", {"answers": {"n": [OUT_OF_RANGE]}}),
    ('{"title": "ok", "answers": {"k\\u0000": 1}}', {"answers": [
        "has a key that is not valid Unicode text or holds a NUL character"]}),
    ('"\\ud800"', {"body": [NOT_UNICODE]}),
])
def test_text_no_backend_can_store_and_numbers_json_cannot_hold_are_refused_naming_the_field(
        client, runtime, raw, errors):
    response = _post(client, raw)
    assert response.status_code == 422, response.json
    assert response.json["code"] == "invalid_input" and response.json["errors"] == errors
    assert response.headers["X-Request-ID"]
    assert _count(runtime) == 0


def test_the_largest_64_bit_integer_and_ordinary_text_still_pass(client, runtime):
    response = _post(client, f'{{"title": "caf\\u00e9 \\ud83c\\udf4e", "answers": {{"n": {INT64_MAX}}}}}')
    assert response.status_code == 201 and response.json["title"] == "café 🍎"
    assert client.get("/v1/notes?q=caf%C3%A9").json[0]["title"] == "café 🍎"


def test_a_nul_in_the_query_string_is_refused_naming_the_parameter(client):
    response = client.get("/v1/notes?q=a%00b")
    assert response.status_code == 422 and response.json["errors"] == {"q": [NUL]}


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(client, runtime):
    response = client.post("/v1/notes/upload", data={"title": "a\x00b"}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["errors"] == {"title": [NUL]}
    assert _count(runtime) == 0


@pytest.mark.parametrize("path, segment", [
    ("/v1/notes/a%00b/score", "name"),
    (f"/v1/notes/{INT64_MAX + 1}", "number"),
    ("/v1/notes/" + "9" * 5000, "number"),
])
def test_a_path_segment_that_can_name_nothing_is_a_404_naming_it(client, path, segment):
    response = client.get(path)
    assert response.status_code == 404, response.json
    assert response.json["code"] == "not_found" and list(response.json["errors"]) == [segment]


def test_int_segments_take_ascii_digits_only(client):
    assert client.get(f"/v1/notes/{INT64_MAX}").json["id"] == INT64_MAX
    assert client.get("/v1/notes/%D9%A3").status_code == 404  # an Arabic-Indic three, which int() would read


def test_an_answer_holding_nan_is_never_written_as_json(client):
    response = client.get("/v1/notes/anything/score")
    assert response.status_code == 500 and b"NaN" not in response.data
    assert response.json["code"] == "internal_error"


def test_an_idempotent_retry_serialised_differently_is_the_same_request(client, runtime):
    headers = {"Idempotency-Key": "retry-1"}
    first = _post(client, '{"title": "Drop-in", "answers": {"a": 1, "b": [1, 2]}}', **headers)
    again = _post(client, '{ "answers" : { "b" : [ 1 , 2 ] , "a" : 1 } ,\n  "title" : "Drop\\u002din" }', **headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json
    other = _post(client, '{"title": "Drop-in", "answers": {"a": 2, "b": [1, 2]}}', **headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
    assert _count(runtime) == 1


def test_an_idempotency_key_must_be_printable(client, runtime):
    response = _post(client, '{"title": "x"}', **{"Idempotency-Key": "k\x01"})
    assert response.status_code == 400 and "Idempotency-Key" in response.json["errors"]
    assert _count(runtime) == 0

"""Every service's document is valid OpenAPI and complete, and every answer a test sees agrees with
it: a drift (an undeclared status, a wrong type, an instant without its zone, an undocumented
content type or header) fails the test that saw it."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields
from sqlalchemy import MetaData

from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import TokenMinter
from canopy_kit.testing.openapi import document_problems
from canopy_kit.web.app import create_service_app
from canopy_kit.web.docs import error_responses, other_content
from canopy_kit.web.fields import DecimalNumber, UtcDateTime
from canopy_kit.web.idempotency import idempotent

SERVICES = sorted(entry_points(group="canopy.services"), key=lambda ep: ep.name)


@pytest.mark.parametrize("entry_point", SERVICES, ids=[ep.name for ep in SERVICES])
def test_every_services_document_is_valid_openapi_and_complete(entry_point, tmp_path):
    """openapi-spec-validator, then per operation: operationId, summary, an example that fits its
    schema, the error statuses its inputs and token can earn, no path parameter that swallows a
    static sibling. A new endpoint that lacks any of them fails here."""
    spec = entry_point.load()
    settings = make_settings(spec.name, database_url=f"sqlite:///{tmp_path / 'doc.db'}", data_dir=tmp_path)
    runtime = Runtime(TokenMinter().spec_with_keys(spec), settings)
    try:
        document = create_service_app(runtime, testing=True).test_client().get("/openapi.json").json
    finally:
        runtime.dispose()
    assert document["paths"], "a service with no operations"
    assert document_problems(document) == []


class Thing(Schema):
    id = fields.String(required=True)
    at = UtcDateTime(required=True)
    hours = DecimalNumber(2, required=True)


def _things():
    blp = Blueprint("things", __name__, url_prefix="/v1/things")

    @blp.route("/<id:thing_id>", methods=["GET"])
    @blp.response(200, Thing)
    @other_content(blp, "text/csv", "the thing as one line")
    @error_responses(blp, 404)
    def get_thing(thing_id):
        """One thing; ``?drift=`` makes it answer what its document does not say."""
        drift = request.args.get("drift", "")
        if drift == "status":
            return Response('{"code": "conflict", "status": 409, "message": "x", "errors": {}}', status=409,
                            mimetype="application/json")
        if drift == "type":
            return Response(f'{{"id": "{thing_id}", "at": "2026-11-02T09:30:00+00:00", "hours": "6.00"}}',
                            mimetype="application/json")
        if drift == "naive":
            return Response(f'{{"id": "{thing_id}", "at": "2026-11-02T09:30:00", "hours": 6}}',
                            mimetype="application/json")
        if drift == "content":
            return Response("id,at\n", mimetype="application/xml")
        if drift == "csv":
            return Response("id,hours\nx,6\n", mimetype="text/csv")
        return {"id": thing_id, "at": datetime(2026, 11, 2, 9, 30), "hours": Decimal("6.5")}

    @blp.route("/assignments", methods=["POST"])
    @blp.response(201, Thing)
    def assign():
        """Things for many."""
        return {"id": "x", "at": datetime.now(timezone.utc), "hours": Decimal("1")}

    @blp.route("", methods=["POST"])
    @idempotent
    @blp.response(201, Thing)
    def make():
        """A thing; takes Idempotency-Key."""
        return {"id": "x", "at": datetime.now(timezone.utc), "hours": Decimal("1")}

    @blp.route("/<id:thing_id>/notes", methods=["POST"])
    @blp.response(201, Thing)
    def note(thing_id):
        """A note; takes no Idempotency-Key."""
        return {"id": thing_id, "at": datetime.now(timezone.utc), "hours": Decimal("1")}

    return [blp]


@pytest.fixture
def things(sqlite_url):
    spec = ServiceSpec(name="things", title="Things", metadata=MetaData(), migrations_dir=Path("/none"),
                       blueprints=_things)
    runtime = Runtime(spec, make_settings("things", database_url=sqlite_url))
    prepare_database(runtime)  # the kit's tables: Idempotency-Key keeps its answers there
    yield create_service_app(runtime, testing=True).test_client()
    runtime.dispose()


THING = "/v1/things/0b5e1c2e-7a4f-4c1e-9a57-3f0d2b6c9e41"


def test_an_answer_that_agrees_with_the_document_passes(things):
    answer = things.get(THING)
    assert answer.status_code == 200
    assert answer.json["at"] == "2026-11-02T09:30:00+00:00" and answer.json["hours"] == 6.5
    assert things.get(THING, query_string={"drift": "csv"}).mimetype == "text/csv"  # documented beside JSON
    assert things.post("/v1/things", headers={"Idempotency-Key": "k1"}).status_code == 201


@pytest.mark.parametrize(("drift", "named"), [
    ("status", "answered 409, which it does not document"),
    ("type", "hours: '6.00' is not of type 'number'"),
    ("naive", "at: '2026-11-02T09:30:00' is not a 'date-time'"),
    ("content", "content type 'application/xml' is not documented"),
])
def test_an_answer_that_strays_from_the_document_fails_the_test(things, drift, named):
    with pytest.raises(AssertionError, match="disagrees with the OpenAPI document") as failure:
        things.get(THING, query_string={"drift": drift})
    assert named in str(failure.value)


def test_a_header_the_operation_does_not_declare_fails_the_test(things):
    with pytest.raises(AssertionError, match="Idempotency-Key header is not a documented parameter"):
        things.post(f"{THING}/notes", headers={"Idempotency-Key": "k1"})


def test_an_id_segment_never_swallows_its_static_sibling(things):
    """``GET /v1/things/assignments`` is the POST-only route's 405, not a thing named "assignments"."""
    assert things.get("/v1/things/assignments").status_code == 405
    assert things.get("/v1/things/not-an-id").status_code == 404


def test_the_kit_documents_what_follows_from_it(things):
    document = things.get("/openapi.json").json
    make = document["paths"]["/v1/things"]["post"]
    assert make["operationId"] == "things_make" and make["summary"] == "A thing; takes Idempotency-Key."
    assert {"400", "422"} <= set(make["responses"])
    assert [p["name"] for p in make["parameters"] if p["in"] == "header"] == ["Idempotency-Key"]
    get = document["paths"]["/v1/things/{thing_id}"]["get"]
    assert set(get["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert get["responses"]["200"]["content"]["application/json"]["example"]["at"].endswith("+00:00")
    hours = document["components"]["schemas"]["Thing"]["properties"]["hours"]
    assert hours["type"] == "number" and hours["x-canopy-scale"] == 2
    assert document_problems(document) == []


@pytest.mark.parametrize(("damage", "named"), [
    (lambda op: op.pop("operationId"), "no operationId"),
    (lambda op: op.pop("summary"), "no summary"),
    (lambda op: op["responses"].pop("422"), "does not document 422"),
    (lambda op: op["responses"]["201"]["content"]["application/json"].pop("example"), "no example"),
    (lambda op: op["responses"]["201"]["content"]["application/json"].update(example={"hours": "1"}),
     "its example does not fit its schema"),
])
def test_an_operation_missing_a_part_of_its_document_is_named(things, damage, named):
    document = things.get("/openapi.json").json
    damage(document["paths"]["/v1/things"]["post"])
    assert any(problem.startswith("POST /v1/things") and named in problem
               for problem in document_problems(document)), document_problems(document)


def test_a_parameter_that_would_swallow_a_sibling_is_named(things):
    document = things.get("/openapi.json").json
    item = document["paths"]["/v1/things/{thing_id}"]
    for parameter in item.get("parameters", []) + item["get"].get("parameters", []):
        parameter["schema"] = {"type": "string"}
    assert any("{thing_id} would also match /v1/things/assignments's 'assignments'" in problem
               for problem in document_problems(document))


def test_decimals_are_numbers_with_a_fixed_scale():
    hours = DecimalNumber(2, minimum=0, maximum=2000)
    assert hours.deserialize(7.5) == Decimal("7.50") and hours.deserialize(1.005) == Decimal("1.01")
    assert hours.deserialize(6) == Decimal("6.00")
    for bad in ("7.5", True, float("nan"), float("inf"), -1, 2000.01):
        with pytest.raises(ValidationError):
            hours.deserialize(bad)
    assert hours.serialize("h", {"h": Decimal("7.50")}) == 7.5
    assert hours.serialize("h", {"h": None}) is None


def test_instants_always_carry_their_utc_offset():
    at = UtcDateTime()
    assert at.serialize("t", {"t": datetime(2026, 11, 2, 9, 30)}) == "2026-11-02T09:30:00+00:00"
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert at.serialize("t", {"t": summer}) == "2026-07-01T09:00:00+00:00"

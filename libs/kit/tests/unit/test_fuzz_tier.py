"""The fuzz tier catches what it is there for: a request that makes a service answer 500, and an
answer that strays from the document, each named with its operation; a sound operation has none."""
from flask import jsonify
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import MetaData

from canopy_kit.testing.fuzz import BAR, fuzz_service
from canopy_kit.web.app import create_service_app


class GaugeIn(Schema):
    name = fields.String(required=True, validate=validate.Length(max=20))


class GaugeOut(Schema):
    reading = fields.Integer(required=True)


def _blueprints():
    blp = Blueprint("gauges", __name__, url_prefix="/v1/gauges")

    @blp.route("", methods=["POST"])
    @blp.arguments(GaugeIn)
    @blp.response(201, GaugeOut)
    def create(body):
        """Divides by the name's length: an empty name is a 500."""
        return {"reading": 100 // len(body["name"])}

    @blp.route("/<gauge_id>", methods=["GET"])
    @blp.response(200, GaugeOut)
    def read(gauge_id):
        """Answers a string where the document says integer (a response made by hand, as drift is)."""
        return jsonify(reading="high")

    @blp.route("/sound", methods=["PUT"])
    @blp.arguments(GaugeIn)
    @blp.response(200, GaugeOut)
    def sound(body):
        """Does what it says."""
        return {"reading": len(body["name"])}

    return [blp]


def test_a_500_and_an_answer_astray_from_the_document_fail_the_bar(web_service):
    app = create_service_app(web_service("gauges", MetaData(), _blueprints), testing=True)
    report = fuzz_service(app, {"no token": None}, max_examples=10)
    failing = {(f.check, f.operation) for f in report.failing()}
    assert ("not_a_server_error", "POST /v1/gauges") in failing, report.describe(report.findings)
    assert ("response_schema_conformance", "GET /v1/gauges/{gauge_id}") in failing
    assert not [f for f in report.failing() if f.operation == "PUT /v1/gauges/sound"], report.describe()
    assert "curl" in report.failing()[0].message  # each finding says how to repeat it
    assert {"not_a_server_error", "response_schema_conformance"} <= set(BAR)
    assert report.errors == [] and report.scenarios["coverage"] > 0

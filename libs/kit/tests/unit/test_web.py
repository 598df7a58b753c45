"""The web layer every service shares: error body, one transaction per request, idempotency,
pagination, health and metrics."""
from pathlib import Path

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

from canopy_kit.errors import Conflict, NotSignedIn
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, outbox_events, prepare_database
from canopy_kit.testing.probe import TRUST_ID, person_payload
from canopy_kit.web.app import create_service_app
from canopy_kit.web.docs import error_responses
from canopy_kit.web.idempotency import idempotent
from canopy_kit.web.pagination import PageArgs, page_schema, paginate
from canopy_kit.web.request_uow import current_uow

metadata = MetaData()
widgets = Table("widgets", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("name", String(40), nullable=False, unique=True))


class WidgetIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    fail_after_write = fields.Boolean(load_default=False)
    refuse_but_keep = fields.Boolean(load_default=False)


class WidgetOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


def _blueprints():
    blp = Blueprint("widgets", __name__, url_prefix="/v1/widgets")

    @blp.route("", methods=["POST"])
    @idempotent
    @blp.arguments(WidgetIn)
    @blp.response(201, WidgetOut)
    @error_responses(blp, 401, 409)
    def create(body):
        """A widget."""
        uow = current_uow()
        widget_id = uow.session.execute(widgets.insert().values(name=body["name"])).inserted_primary_key[0]
        uow.publish("identity.person.registered", person_payload(body["name"]), trust_id=TRUST_ID)
        if body["fail_after_write"]:
            raise Conflict("refused after writing")
        if body["refuse_but_keep"]:
            raise NotSignedIn("refused, and the refusal recorded", keep_changes=True)
        return {"id": widget_id, "name": body["name"]}

    @blp.route("", methods=["GET"])
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(WidgetOut))
    def list_widgets(args):
        """Every widget."""
        return paginate(current_uow().session, select(widgets).order_by(widgets.c.id), args, scalars=False)

    return [blp]


@pytest.fixture
def runtime(web_service):
    return web_service("widgets", metadata, _blueprints)


@pytest.fixture
def client(runtime):
    return create_service_app(runtime, testing=True).test_client()


def _count(runtime):
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(widgets)).scalar_one()


def test_success_commits_the_row_and_its_event(client, runtime):
    response = client.post("/v1/widgets", json={"name": "alpha"})
    assert response.status_code == 201 and response.json["name"] == "alpha"
    assert _count(runtime) == 1
    assert [e.event_type for e in outbox_events(runtime)] == ["identity.person.registered"]
    assert response.headers["X-Request-ID"]


def test_error_after_writing_leaves_nothing(client, runtime):
    response = client.post("/v1/widgets", json={"name": "beta", "fail_after_write": True})
    assert response.status_code == 409
    assert response.json == {"code": "conflict", "status": 409, "message": "refused after writing", "errors": {}}
    assert _count(runtime) == 0 and outbox_events(runtime) == []


def test_a_refusal_that_keeps_its_changes_commits_them_and_still_refuses(client, runtime):
    response = client.post("/v1/widgets", json={"name": "gamma", "refuse_but_keep": True})
    assert response.status_code == 401 and response.json["message"] == "refused, and the refusal recorded"
    assert _count(runtime) == 1 and len(outbox_events(runtime)) == 1


@pytest.mark.parametrize("body, field, reason", [
    ({"name": 3}, "name", "Not a valid string."),
    ({}, "name", "Missing data for required field."),
    ({"name": "x" * 41}, "name", "Length must be between 1 and 40."),
    ({"name": "ok", "colour": "red"}, "colour", "Unknown field."),
])
def test_bad_input_names_the_field_and_writes_nothing(client, runtime, body, field, reason):
    response = client.post("/v1/widgets", json=body)
    assert response.status_code == 422
    assert response.json["code"] == "invalid_input"
    assert response.json["errors"][field] == [reason]
    assert _count(runtime) == 0


def test_malformed_json_is_a_400_with_the_error_body(client):
    response = client.post("/v1/widgets", data="{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json["code"] == "bad_request" and "body" in response.json["errors"]


def test_unique_violation_is_a_409_not_a_500(client):
    assert client.post("/v1/widgets", json={"name": "same"}).status_code == 201
    response = client.post("/v1/widgets", json={"name": "same"})
    assert response.status_code == 409 and response.json["code"] == "conflict"


def test_unknown_path_and_method_use_the_error_body(client):
    assert client.get("/v1/nothing").json["code"] == "not_found"
    response = client.delete("/v1/widgets")
    assert response.status_code == 405 and response.json["code"] == "method_not_allowed"


def test_body_over_the_limit_is_413(client):
    response = client.post("/v1/widgets", data="x" * (2 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413 and response.json["code"] == "payload_too_large"


def test_idempotency_key_makes_one_record_however_often_posted(client, runtime):
    headers = {"Idempotency-Key": "drop-in-42"}
    first = client.post("/v1/widgets", json={"name": "offline"}, headers=headers)
    again = [client.post("/v1/widgets", json={"name": "offline"}, headers=headers) for _ in range(2)]
    assert first.status_code == 201
    assert all(r.status_code == 201 and r.json == first.json for r in again)
    assert again[0].headers["Idempotent-Replayed"] == "true"
    assert _count(runtime) == 1 and len(outbox_events(runtime)) == 1


def test_idempotency_key_reused_for_another_body_is_rejected(client, runtime):
    headers = {"Idempotency-Key": "k1"}
    assert client.post("/v1/widgets", json={"name": "one"}, headers=headers).status_code == 201
    response = client.post("/v1/widgets", json={"name": "two"}, headers=headers)
    assert response.status_code == 422 and "Idempotency-Key" in response.json["errors"]
    assert _count(runtime) == 1


def test_failed_request_does_not_consume_its_idempotency_key(client, runtime):
    headers = {"Idempotency-Key": "k2"}
    body = {"name": "gamma", "fail_after_write": True}
    assert client.post("/v1/widgets", json=body, headers=headers).status_code == 409
    assert client.post("/v1/widgets", json={**body, "fail_after_write": False}, headers=headers).status_code == 201


def test_pagination_reports_the_total(client):
    for name in "abcde":
        client.post("/v1/widgets", json={"name": name})
    page = client.get("/v1/widgets?page=2&page_size=2").json
    assert [w["name"] for w in page["items"]] == ["c", "d"]
    assert (page["page"], page["page_size"], page["total"]) == (2, 2, 5)
    assert client.get("/v1/widgets?page_size=1000").status_code == 422


def test_health_and_metrics(client):
    assert client.get("/health/live").json == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok", "outbox": "ok", "broker": "ok"}
    client.post("/v1/widgets", json={"name": "counted"})
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'canopy_http_requests_total{method="POST",route="/v1/widgets",service="widgets",status="201"}' in metrics


def test_openapi_documents_errors_with_the_error_schema(client):
    spec = client.get("/openapi.json").json
    post = spec["paths"]["/v1/widgets"]["post"]
    assert "422" in post["responses"] and "default" in post["responses"]
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"code", "status", "message", "errors"}


def test_roles_are_checked_from_the_token(sqlite_url):
    """``authenticated(blp, roles=...)``: 401 without a token, 403 without the role, 200 with it."""
    import time

    import jwt
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from canopy_kit.auth import StaticKeySource
    from canopy_kit.web.auth import authenticated, current_principal

    key = Ed25519PrivateKey.generate()

    def blueprints():
        blp = Blueprint("admin", __name__, url_prefix="/v1/admin")

        @blp.route("", methods=["GET"])
        @authenticated(blp, roles="trust_admin")
        @blp.response(200, WidgetOut)
        def admin_only():
            return {"id": 1, "name": current_principal().person_id}

        return [blp]

    spec = ServiceSpec(name="admin", title="Admin", metadata=metadata, migrations_dir=Path("/none"),
                       blueprints=blueprints, key_source=lambda _rt: StaticKeySource({"k": key.public_key()}))
    runtime = Runtime(spec, make_settings("admin", database_url=sqlite_url))
    prepare_database(runtime)
    client = create_service_app(runtime, testing=True).test_client()

    def token(grants):
        now = int(time.time())
        claims = {"iss": "canopy-identity", "aud": "canopy", "sub": "p-9", "trust_id": "t", "typ": "access",
                  "grants": grants, "iat": now, "exp": now + 60}
        return {"Authorization": "Bearer " + jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": "k"})}

    assert client.get("/v1/admin").status_code == 401
    teacher = client.get("/v1/admin", headers=token([{"role": "teacher", "scope": "trust", "id": "t"}]))
    assert teacher.status_code == 403 and teacher.json["code"] == "forbidden"
    elsewhere = client.get("/v1/admin", headers=token([{"role": "trust_admin", "scope": "trust", "id": "other"}]))
    assert elsewhere.status_code == 403  # a grant for another trust counts for nothing
    admin = client.get("/v1/admin", headers=token([{"role": "trust_admin", "scope": "trust", "id": "t"}]))
    assert admin.status_code == 200 and admin.json["name"] == "p-9"
    runtime.dispose()


def test_a_committed_write_keeps_its_answer_when_counting_it_fails(client, runtime, monkeypatch):
    # Counting happens after the commit: if it fails, the client must still hear "created", or a
    # retry without a key would make the widget twice.
    from types import SimpleNamespace

    import canopy_kit.web.app as web_app

    def broken(*_args):
        raise ValueError("Duplicated timeseries in CollectorRegistry")

    monkeypatch.setattr(web_app, "metrics", lambda: SimpleNamespace(http_requests=SimpleNamespace(labels=broken)))
    response = client.post("/v1/widgets", json={"name": "counted-or-not"})
    assert response.status_code == 201, response.json
    assert _count(runtime) == 1

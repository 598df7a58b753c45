"""A disabled account's access tokens are refused at once, by every service, from its own copy of
the directory; the check costs a caller reading their own records no query of its own."""
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import MetaData, event

from canopy_kit.auth.flask import authenticated, current_principal
from canopy_kit.auth.permissions import Permissions
from canopy_kit.db.tables import dir_people
from canopy_kit.projections.directory import ProjectedDirectory, upsert_if_newer
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import DirectoryBuilder, TokenMinter
from canopy_kit.web.app import create_service_app
from canopy_kit.web.request_uow import current_uow


class PersonOut(Schema):
    id = fields.String(required=True)


def _blueprints():
    blp = Blueprint("people", __name__, url_prefix="/v1/people")

    @blp.route("/<person_id>")
    @authenticated(blp)
    @blp.response(200, PersonOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def read(person_id):
        Permissions(current_principal(), ProjectedDirectory.of(current_uow().session)).require_about(
            "staff.read", person_id)
        return {"id": person_id}

    return [blp]


@pytest.fixture
def service(sqlite_url):
    minter = TokenMinter()
    spec = ServiceSpec(name="people", title="People", metadata=MetaData(), migrations_dir=Path("/none"),
                       blueprints=_blueprints)
    runtime = Runtime(minter.spec_with_keys(spec), make_settings("people", database_url=sqlite_url))
    prepare_database(runtime)
    directory = DirectoryBuilder(runtime, minter)
    yield directory, create_service_app(runtime, testing=True).test_client()
    runtime.dispose()


def _set_status(directory, person_id, status):
    """What the projection does with ``identity.person.updated`` (the whole person, status included)."""
    with directory.runtime.uow_factory() as uow:
        upsert_if_newer(uow.session, dir_people, "person_id", {
            "person_id": person_id, "trust_id": directory.trust_id, "given_name": "Pia", "family_name": "Test",
            "preferred_name": None, "email": "pia@example.org", "status": status,
            "updated_at": datetime.now(timezone.utc)})
        uow.commit()


def test_a_disabled_accounts_token_is_refused_although_it_was_accepted_before(service):
    directory, client = service
    pia = directory.person("Pia", directory.school("Ash"))
    headers = directory.headers(pia)
    assert client.get(f"/v1/people/{pia}", headers=headers).status_code == 200  # now remembered as verified

    _set_status(directory, pia, "disabled")
    refused = client.get(f"/v1/people/{pia}", headers=headers)
    assert refused.status_code == 401
    assert refused.json["code"] == "account_disabled" and "disabled" in refused.json["message"]
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]

    _set_status(directory, pia, "active")  # enabled again
    assert client.get(f"/v1/people/{pia}", headers=headers).status_code == 200


def test_a_disabled_caller_is_refused_whatever_they_ask_about(service):
    directory, client = service
    ash = directory.school("Ash")
    head, teacher = directory.person("Hana", ash, roles=("headteacher",)), directory.person("Tom", ash)
    headers = directory.headers(head)
    assert client.get(f"/v1/people/{teacher}", headers=headers).status_code == 200
    _set_status(directory, head, "disabled")
    assert client.get(f"/v1/people/{teacher}", headers=headers).json["code"] == "account_disabled"
    assert client.get(f"/v1/people/{teacher}", headers=directory.headers(teacher)).status_code == 200


def test_someone_the_projection_has_not_heard_of_is_left_to_the_permission_checks(service):
    directory, client = service
    stranger = "9d1c1a9e-0000-4000-8000-000000000001"
    directory.grants[stranger] = []
    answer = client.get(f"/v1/people/{stranger}", headers=directory.headers(stranger))
    assert answer.status_code == 404  # not in the caller's trust as far as this service knows


def test_the_caller_is_looked_up_once_for_authentication_and_the_permission_check(service):
    directory, client = service
    pia = directory.person("Pia", directory.school("Ash"))
    headers = directory.headers(pia)
    lookups = []

    def count(_conn, _cursor, statement, *_args):
        if "dir_people" in statement:
            lookups.append(statement)

    event.listen(directory.runtime.engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/v1/people/{pia}", headers=headers).status_code == 200
    finally:
        event.remove(directory.runtime.engine, "before_cursor_execute", count)
    assert len(lookups) == 1

"""A disabled account's access tokens are refused at once, by every service, from its own copy of
the directory; the check costs a caller reading their own records no query of its own."""
from pathlib import Path

import pytest
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import MetaData, event

from canopy_kit.web.auth import authenticated, current_principal
from canopy_kit.auth.permissions import Permissions
from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import ProjectedDirectory, subscribe_directory
from canopy_kit.service import ServiceSpec
from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
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
    spec = ServiceSpec(name="people", title="People", metadata=MetaData(), migrations_dir=Path("/none"),
                       blueprints=_blueprints, subscriptions=lambda: subscribe_directory(Subscriptions()))
    harness = ServiceHarness(spec, sqlite_url)
    yield StaffDirectory(harness), harness.client
    harness.dispose()


def _set_status(directory, person_id, status):
    """Identity's ``identity.person.updated`` (the whole person, status included), as delivered."""
    directory.harness.feed(directory.trust_id, [("identity.person.updated", {
        "person_id": person_id, "given_name": "Pia", "email": "pia@example.org", "status": status})])


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
    head, teacher = directory.person("Hana", ash, role="headteacher"), directory.person("Tom", ash)
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

    event.listen(directory.harness.runtime.engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/v1/people/{pia}", headers=headers).status_code == 200
    finally:
        event.remove(directory.harness.runtime.engine, "before_cursor_execute", count)
    assert len(lookups) == 1

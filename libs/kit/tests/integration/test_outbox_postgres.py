"""The outbox on PostgreSQL: the state change and its event commit or roll back together."""
import pytest
from sqlalchemy import func, select

from canopy_contracts import ContractError
from canopy_kit.db.tables import outbox
from canopy_kit.testing.probe import effects, person_payload, TRUST_ID

pytestmark = pytest.mark.integration


def _counts(runtime):
    with runtime.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(effects)).scalar_one(),
                conn.execute(select(func.count()).select_from(outbox)).scalar_one())


def test_change_and_event_commit_together(probe_factory, postgres_url):
    runtime = probe_factory(postgres_url)
    with runtime.uow_factory() as uow:
        uow.session.execute(effects.insert().values(event_id="x", person_id="p", given_name="Amira"))
        uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
        uow.commit()
    assert _counts(runtime) == (1, 1)


def test_change_and_event_roll_back_together(probe_factory, postgres_url):
    runtime = probe_factory(postgres_url)
    with pytest.raises(RuntimeError):
        with runtime.uow_factory() as uow:
            uow.session.execute(effects.insert().values(event_id="x", person_id="p", given_name="Amira"))
            uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            raise RuntimeError("the request failed after writing")
    assert _counts(runtime) == (0, 0)


def test_an_event_that_breaks_its_contract_is_never_written(probe_factory, postgres_url):
    runtime = probe_factory(postgres_url)
    with runtime.uow_factory() as uow:
        with pytest.raises(ContractError) as caught:
            uow.publish("identity.person.registered", {**person_payload(), "email": "not an email"},
                        trust_id=TRUST_ID)
        uow.commit()
    assert "email" in caught.value.errors
    assert _counts(runtime) == (0, 0)


def test_commit_sends_notify_to_the_relay_channel(probe_factory, postgres_url):
    import psycopg

    from canopy_kit.bus.relay import libpq_conninfo
    from canopy_kit.events.outbox import notify_channel

    runtime = probe_factory(postgres_url)
    with psycopg.connect(libpq_conninfo(postgres_url), autocommit=True) as listener:
        listener.execute(f'LISTEN "{notify_channel("probe")}"')
        with runtime.uow_factory() as uow:
            uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            uow.commit()
        received = list(listener.notifies(timeout=5, stop_after=1))
    assert [n.channel for n in received] == [notify_channel("probe")]


def test_racing_posts_with_one_idempotency_key_make_one_record_and_the_same_answer(postgres_url):
    """Both requests run; the loser's commit would break the key, so it answers with the winner's
    response instead of a 409."""
    import threading
    from pathlib import Path

    from flask_smorest import Blueprint
    from marshmallow import Schema, fields
    from sqlalchemy import func, select

    from canopy_kit.service import Runtime, ServiceSpec
    from canopy_kit.testing import make_settings, prepare_database
    from canopy_kit.testing.probe import metadata
    from canopy_kit.web.app import create_service_app
    from canopy_kit.web.idempotency import idempotent
    from canopy_kit.web.request_uow import current_uow

    class Body(Schema):
        name = fields.String(required=True)

    barrier = threading.Barrier(2)

    def blueprints():
        blp = Blueprint("things", __name__, url_prefix="/v1/things")

        @blp.route("", methods=["POST"])
        @idempotent
        @blp.arguments(Body)
        @blp.response(201, Body)
        def create(body):
            uow = current_uow()
            uow.session.execute(effects.insert().values(event_id="x", person_id="p", given_name=body["name"]))
            uow.flush()
            barrier.wait(timeout=10)  # both are inside their transaction before either inserts the key
            return body

        return [blp]

    spec = ServiceSpec(name="things", title="things", metadata=metadata, migrations_dir=Path("/none"),
                       blueprints=blueprints)
    runtime = Runtime(spec, make_settings("things", database_url=postgres_url))
    prepare_database(runtime)
    app = create_service_app(runtime, testing=True)
    answers = []

    def post():
        response = app.test_client().post("/v1/things", json={"name": "drop-in"}, headers={"Idempotency-Key": "k"})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert answers == [(201, {"name": "drop-in"})] * 2
    with runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(effects)).scalar() == 1
    runtime.dispose()

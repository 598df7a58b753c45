"""On PostgreSQL and RabbitMQ: account mail that cannot be sent is retried, then dead-lettered
(without the one-time token anywhere in it), and a redrive sends it once the mail server is back."""
import email
import json
import threading

import pytest

from canopy_kit.bus.dead_letters import DeadLetters
from canopy_kit.processes import build_consumer
from canopy_kit.service import Runtime
from canopy_kit.testing import (
    consume_until_idle, declare_queue, make_settings, prepare_database, relay_all, wait_until,
)
from canopy_kit.web.app import create_service_app
from identity import commands
from identity.service import SERVICE

pytestmark = pytest.mark.integration

MAIL_EVENT = "identity.account_mail.requested"


def test_unsendable_mail_is_retried_dead_lettered_and_redriven(postgres_url, rabbitmq_url, bus_names, tmp_path):
    bus_names.queue("identity")
    settings = make_settings("identity", database_url=postgres_url, bus_url=rabbitmq_url,
                             exchange=bus_names.exchange, queue_prefix=bus_names.queue_prefix,
                             consumer_max_attempts=2, consumer_retry_delay_ms=50)
    runtime = Runtime(SERVICE, settings)
    runtime.settings = runtime.settings.with_overrides(smtp_url="smtp://127.0.0.1:1")  # nothing listens on port 1
    prepare_database(runtime)
    declare_queue(runtime)
    try:
        with runtime.uow_factory() as uow:
            trust_id, admin = commands.create_trust_with_admin(
                uow, name="Oak Trust", slug="oak", admin_given_name="Ada", admin_family_name="Admin",
                admin_email="admin@oak.example.org", admin_password="correct horse battery")
            uow.commit()
        client = create_service_app(runtime, testing=True).test_client()
        token = client.post("/v1/auth/login", json={"email": "admin@oak.example.org",
                                                     "password": "correct horse battery"}).json["access_token"]
        answer = client.post(f"/v1/people/{admin}/invitations", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 204  # the mail server being down is not the request's problem
        relay_all(runtime)

        stop = threading.Event()
        thread = threading.Thread(target=build_consumer(runtime).run, args=(stop,), daemon=True)
        thread.start()
        letters = DeadLetters(runtime.settings, runtime.uow_factory)
        try:
            assert wait_until(lambda: len(letters.list()) == 1), "the mail was not dead-lettered"
        finally:
            stop.set()
            thread.join(10)
        [letter] = letters.list()
        assert letter.event_type == MAIL_EVENT and letter.attempts == 2
        assert "token" not in json.dumps(letters.show(letter.event_id).detail()["envelope"]["payload"])

        mail_dir = tmp_path / "mail"
        runtime.settings = runtime.settings.with_overrides(smtp_url=None, mail_dir=mail_dir)
        assert letters.redrive({letter.event_id}) == 1
        consume_until_idle(runtime)
        [mail] = [email.message_from_bytes(p.read_bytes()) for p in mail_dir.glob("*.eml")]
        assert mail["To"] == "admin@oak.example.org" and "token=" in mail.get_payload(decode=True).decode()
    finally:
        runtime.dispose()

"""Account mail goes out after commit, from identity's own event, through the kit's inbox: a
request never fails because mail cannot be sent, a rolled-back one sends nothing, and no event
carries the one-time token."""
import email
import json
import re

from sqlalchemy import func, select

from canopy_kit.events.inbox import Outcome
from canopy_kit.testing import outbox_events
from identity import commands
from identity.tables import account_tokens

MAIL_EVENT = "identity.account_mail.requested"


def _mails(folder):
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def _tokens(identity) -> int:
    with identity.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(account_tokens)).scalar_one()


def _use_mail_dir(identity, folder):
    identity.runtime.settings = identity.runtime.settings.with_overrides(mail_dir=folder)


def test_an_invitation_is_mailed_by_the_consumer_not_the_request(identity, trust, tmp_path):
    _use_mail_dir(identity, tmp_path / "mail")
    answer = identity.client.post(f"/v1/people/{trust.teacher}/invitations", headers=trust.headers(trust.admin))
    assert answer.status_code == 204
    assert _mails(tmp_path / "mail") == [] and _tokens(identity) == 0  # nothing sent, no token yet
    [event] = [e for e in outbox_events(identity.runtime) if e.event_type == MAIL_EVENT]
    assert event.payload["kind"] == "invitation" and event.payload["person_id"] == trust.teacher
    assert "token" not in json.dumps(event.payload)
    [delivery] = [d for d in identity.send_mail() if d.event_type == MAIL_EVENT]
    assert delivery.outcome is Outcome.HANDLED
    [mail] = _mails(tmp_path / "mail")
    assert mail["To"] == "tom@oak.example.org"
    token = re.search(r"token=([\w-]+)", mail.get_payload(decode=True).decode()).group(1)
    assert all(token not in e.to_json() for e in outbox_events(identity.runtime))
    assert identity.client.post("/v1/auth/invitations/accept",
                                json={"token": token, "password": "a brand new password"}).status_code == 204
    assert identity.send_mail() and len(_mails(tmp_path / "mail")) == 1  # a redelivery sends nothing more


def test_an_unwritable_mail_folder_fails_neither_request_and_the_mail_is_retried(identity, trust, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the mail folder should be")
    _use_mail_dir(identity, blocker / "mail")
    invited = identity.client.post(f"/v1/people/{trust.teacher}/invitations", headers=trust.headers(trust.admin))
    reset = identity.client.post("/v1/auth/password-reset", json={"email": "admin@oak.example.org"})
    assert (invited.status_code, reset.status_code) == (204, 202)
    failed = [d for d in identity.send_mail() if d.event_type == MAIL_EVENT]
    assert [d.outcome for d in failed] == [Outcome.FAILED, Outcome.FAILED]
    assert _tokens(identity) == 0  # the failed sends left no working link behind
    _use_mail_dir(identity, tmp_path / "mail")
    retried = [d for d in identity.send_mail() if d.event_type == MAIL_EVENT]
    assert [d.outcome for d in retried] == [Outcome.HANDLED, Outcome.HANDLED]
    assert sorted(m["To"] for m in _mails(tmp_path / "mail")) == ["admin@oak.example.org", "tom@oak.example.org"]


def test_a_rolled_back_invitation_sends_nothing(identity, trust, tmp_path):
    _use_mail_dir(identity, tmp_path / "mail")
    with identity.runtime.uow_factory() as uow:
        commands.invite(uow, trust_id=trust.trust_id, person_id=trust.teacher, link_base="https://canopy.example.org/x")
        uow.rollback()
    identity.send_mail()
    assert _mails(tmp_path / "mail") == []
    assert MAIL_EVENT not in {e.event_type for e in outbox_events(identity.runtime)}


def test_no_reset_mail_for_an_account_disabled_before_it_was_sent(identity, trust, tmp_path):
    _use_mail_dir(identity, tmp_path / "mail")
    assert identity.client.post("/v1/auth/password-reset", json={"email": "admin@oak.example.org"}).status_code == 202
    with identity.runtime.uow_factory() as uow:
        commands.disable_account(uow, trust_id=trust.trust_id, person_id=trust.admin, reason="left")
        uow.commit()
    [delivery] = [d for d in identity.send_mail() if d.event_type == MAIL_EVENT]
    assert delivery.outcome is Outcome.HANDLED and _mails(tmp_path / "mail") == [] and _tokens(identity) == 0

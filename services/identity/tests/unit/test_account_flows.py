"""Invitations, password resets and changes, sign-in rate limits, and the audit log."""
import email
import re

from identity.domain import sign_in


def _mails(identity):
    folder = identity.runtime.settings.data_dir / "mail"
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)]


def _token(message):
    return re.search(r"token=([\w-]+)", message.get_payload(decode=True).decode()).group(1)


def test_invitation_sets_a_first_password_once(identity, trust, tmp_path):
    identity.runtime.settings = identity.runtime.settings.with_overrides(data_dir=tmp_path)
    client, headers = identity.client, trust.headers(trust.admin)
    assert client.post(f"/v1/people/{trust.teacher}/invitations", headers=headers).status_code == 204
    identity.send_mail()
    [mail] = _mails(identity)
    assert mail["To"] == "tom@oak.example.org"
    token = _token(mail)
    assert client.post("/v1/auth/invitations/accept", json={"token": token, "password": "short"}).status_code == 422
    accepted = client.post("/v1/auth/invitations/accept", json={"token": token, "password": "a brand new password"})
    assert accepted.status_code == 204
    assert identity.login("tom@oak.example.org", "a brand new password").status_code == 200
    reused = client.post("/v1/auth/invitations/accept", json={"token": token, "password": "another new password"})
    assert reused.status_code == 400 and "token" in reused.json["errors"]


def test_password_reset_does_not_reveal_accounts_and_ends_sessions(identity, trust, tmp_path):
    identity.runtime.settings = identity.runtime.settings.with_overrides(data_dir=tmp_path)
    client = identity.client
    session = identity.login().json
    answers = [client.post("/v1/auth/password-reset", json={"email": address})
               for address in ("admin@oak.example.org", "nobody@oak.example.org")]
    assert [a.status_code for a in answers] == [202, 202] and answers[0].get_data() == answers[1].get_data()
    identity.send_mail()
    [mail] = _mails(identity)  # only the real account got one
    done = client.post("/v1/auth/password-reset/confirm", json={"token": _token(mail),
                                                               "password": "reset to something long"})
    assert done.status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}).status_code == 401
    assert identity.login(password="reset to something long").status_code == 200


def test_change_password_needs_the_current_one(identity, trust):
    token = identity.login().json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    wrong = identity.client.post("/v1/me/password", json={"current_password": "guess", "new_password": "x" * 12},
                                 headers=headers)
    assert wrong.status_code == 422 and "current_password" in wrong.json["errors"]
    ok = identity.client.post("/v1/me/password", json={"current_password": identity.password,
                                                       "new_password": "a changed password"}, headers=headers)
    assert ok.status_code == 204
    assert identity.login(password="a changed password").status_code == 200


def test_sign_in_is_rate_limited_per_account_even_for_unknown_emails(identity, trust):
    for email_address in ("admin@oak.example.org", "nobody@oak.example.org"):
        codes = [identity.login(email=email_address, password="wrong guess").status_code
                 for _ in range(sign_in.ACCOUNT_PER_CLIENT_LIMIT + 1)]
        assert codes == [401] * sign_in.ACCOUNT_PER_CLIENT_LIMIT + [429]
    blocked = identity.login()  # even the right password waits out the window
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert blocked.json["code"] == "too_many_requests"


def test_sign_in_is_rate_limited_per_client_address(identity, trust, monkeypatch):
    monkeypatch.setattr(sign_in, "CLIENT_LIMIT", 3)
    codes = [identity.login(email=f"guess{i}@oak.example.org", password="wrong").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_security_actions_are_audited(identity, trust):
    identity.login()
    identity.login(password="wrong password")
    headers = trust.headers(trust.admin)
    entries = identity.client.get("/v1/audit?page_size=200", headers=headers).json["items"]
    actions = [e["action"] for e in entries]
    assert {"login.succeeded", "login.failed", "role.granted"} <= set(actions)
    failed = next(e for e in entries if e["action"] == "login.failed")
    assert failed["subject_id"] == trust.admin and failed["client"]
    assert identity.client.get("/v1/audit", headers=trust.headers(trust.head_a)).status_code == 403

"""Sign-in limits count each client on its own: one address guessing does not lock out another,
not even from the same account; an account guessed from many addresses still stops in the end."""
from identity.domain import sign_in


def _login(identity, address, password="wrong guess", email="admin@oak.example.org", **headers):
    return identity.client.post("/v1/auth/login", json={"email": email, "password": password},
                                environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_one_clients_failures_do_not_lock_out_another_client_of_the_same_account(identity, trust):
    codes = [_login(identity, "198.51.100.7").status_code for _ in range(sign_in.ACCOUNT_PER_CLIENT_LIMIT + 1)]
    assert codes == [401] * sign_in.ACCOUNT_PER_CLIENT_LIMIT + [429]
    assert _login(identity, "198.51.100.7", identity.password).status_code == 429
    assert _login(identity, "203.0.113.9", identity.password).status_code == 200


def test_a_client_trying_many_accounts_is_stopped_without_stopping_others(identity, trust, monkeypatch):
    monkeypatch.setattr(sign_in, "CLIENT_LIMIT", 3)
    codes = [_login(identity, "198.51.100.7", email=f"guess{i}@oak.example.org").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _login(identity, "203.0.113.9", identity.password).status_code == 200


def test_an_account_guessed_from_many_addresses_waits_once_the_total_is_reached(identity, trust, monkeypatch):
    monkeypatch.setattr(sign_in, "ACCOUNT_PER_CLIENT_LIMIT", 2)
    monkeypatch.setattr(sign_in, "ACCOUNT_LIMIT", 4)
    codes = [_login(identity, f"198.51.100.{n}").status_code for n in (1, 1, 2, 2)]
    assert codes == [401] * 4
    blocked = _login(identity, "203.0.113.9", identity.password)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_a_client_cannot_name_another_address_when_no_proxy_is_trusted(identity, trust):
    for _ in range(sign_in.ACCOUNT_PER_CLIENT_LIMIT):
        _login(identity, "198.51.100.7", **{"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"})
    assert _login(identity, "198.51.100.7", identity.password).status_code == 429
    assert _login(identity, "203.0.113.9", identity.password).status_code == 200

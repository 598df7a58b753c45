"""The session store and the single-flight refresh on it."""
from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from canopy_kit.clock import now
from canopy_kit.db.engine import create_engine_for
from canopy_web import sessions
from canopy_web.sessions import SessionStore, Tokens
from canopy_web.tables import web_sessions

IDLE, LIFETIME = timedelta(minutes=30), timedelta(hours=8)


@pytest.fixture
def engine(settings):
    engine = create_engine_for(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine) -> SessionStore:
    return SessionStore(engine, b"the-first-secret-" * 3, idle=IDLE, lifetime=LIFETIME)


@pytest.fixture
def clock(monkeypatch):
    """``clock.move(timedelta)``: the store's idea of now, moved on."""
    class Clock:
        offset = timedelta()

        def move(self, by: timedelta) -> None:
            self.offset += by

    moved = Clock()
    monkeypatch.setattr(sessions, "now", lambda: now() + moved.offset)
    return moved


def _tokens(access="access-token-text", refresh="refresh-token-text") -> Tokens:
    return Tokens(access, refresh, now() + timedelta(minutes=15))


def _row(engine, session):
    with engine.connect() as conn:
        return conn.execute(select(web_sessions).where(web_sessions.c.key_hash == session.key_hash)).mappings().one()


def test_a_new_session_is_anonymous_with_a_csrf_token_and_opens_by_its_key(store):
    key, session = store.start()
    opened = store.open(key)
    assert opened is not None and opened.key_hash == session.key_hash
    assert not opened.signed_in and len(opened.csrf_token) >= 32
    assert store.open("some-other-key") is None and store.open(None) is None and store.open("k" * 500) is None
    other_key, other = store.start()
    assert other_key != key and other.csrf_token != session.csrf_token


def test_signing_in_rotates_the_key_and_the_csrf_token_and_ends_the_old_session(store):
    key, anonymous = store.start()
    new_key, signed = store.sign_in(anonymous, "person-1", _tokens())
    assert new_key != key and signed.csrf_token != anonymous.csrf_token
    assert store.open(key) is None  # a key fixed before sign-in opens nothing afterwards
    opened = store.open(new_key)
    assert opened.signed_in and opened.person_id == "person-1" and opened.tokens.access == "access-token-text"


def test_a_session_ends_after_the_idle_time_without_a_request(store, clock):
    key, session = store.sign_in(None, "person-1", _tokens())
    clock.move(IDLE - timedelta(minutes=1))
    assert store.open(key) is not None  # a request in time keeps it going...
    clock.move(IDLE - timedelta(minutes=1))
    assert store.open(key) is not None  # ...from that request on
    clock.move(IDLE + timedelta(seconds=1))
    assert store.open(key) is None
    assert store.reload(session) is None  # and its row is gone


def test_a_session_ends_at_its_lifetime_however_busy(store, clock):
    key, _ = store.sign_in(None, "person-1", _tokens())
    for _ in range(int(LIFETIME / (IDLE / 2))):
        clock.move(IDLE / 2)
        if store.open(key) is None:
            break
    assert store.open(key) is None
    assert LIFETIME - IDLE / 2 < clock.offset <= LIFETIME  # kept alive by requests until then, not after


def test_tokens_are_sealed_at_rest_and_unreadable_under_another_secret(store, engine):
    key, session = store.sign_in(None, "person-1", _tokens("eyJ-the-access-token", "the-refresh-token"))
    row = _row(engine, session)
    stored = " ".join(str(value) for value in row.values())
    assert "eyJ-the-access-token" not in stored and "the-refresh-token" not in stored
    assert key not in stored  # only the key's hash is kept
    other = SessionStore(engine, b"another-secret-entirely" * 2, idle=IDLE, lifetime=LIFETIME)
    opened = other.open(key)
    assert opened is not None and not opened.signed_in and opened.tokens is None


def test_one_refresh_claim_per_generation(store):
    _, session = store.sign_in(None, "person-1", _tokens())
    assert store.claim_refresh(session, timedelta(seconds=20))
    assert not store.claim_refresh(session, timedelta(seconds=20))
    refreshed = store.refreshed(session, _tokens("access-2", "refresh-2"))
    assert refreshed.generation == session.generation + 1
    assert not store.claim_refresh(session, timedelta(seconds=20))  # the old generation is done
    assert store.claim_refresh(refreshed, timedelta(seconds=20))


def _signed_in_needing_refresh(client, sign_in, gateway):
    gateway.login_expires_in = 5  # inside the refresh margin: the next call refreshes first
    assert sign_in(client).status_code == 303
    return client.get_cookie("canopy_session").value


def test_many_requests_of_one_session_needing_a_refresh_make_one_refresh(app, client, sign_in, gateway):
    key = _signed_in_needing_refresh(client, sign_in, gateway)
    gateway.refresh_hold = 0.3
    workers, statuses, ready = 8, [], threading.Barrier(8)

    def open_profile():
        browser = app.test_client()
        browser.set_cookie("canopy_session", key)
        ready.wait()
        statuses.append(browser.get("/me").status_code)

    threads = [threading.Thread(target=open_profile) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * workers
    assert gateway.refresh_calls == 1
    [new_token] = gateway.refreshed_to
    assert gateway.me_tokens[-workers:] == [new_token] * workers  # every request used the new token


def test_a_refused_refresh_ends_the_session_and_the_page_asks_to_sign_in_again(client, sign_in, gateway):
    _signed_in_needing_refresh(client, sign_in, gateway)
    gateway.refuse_refresh = True
    answer = client.get("/me/access?page=2")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/sign-in" and parse_qs(location.query) == {"next": ["/me/access?page=2"]}
    assert gateway.refresh_calls == 1
    again = client.get("/me")  # the session is gone: no second refresh is tried
    assert again.status_code == 302 and again.headers["Location"].startswith("/sign-in")
    assert gateway.refresh_calls == 1


def test_a_token_far_from_its_end_is_used_without_a_refresh(client, sign_in, gateway):
    sign_in(client)
    assert client.get("/me").status_code == 200
    assert gateway.refresh_calls == 0

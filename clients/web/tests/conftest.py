"""The web client without servers: its own SQLite in ``tmp_path`` and, in the gateway's place, a
stub WSGI app (``FakeGateway``) answering the identity and portfolio calls the account pages make,
counting them."""
from __future__ import annotations

import re
import threading
import time
import uuid

import jwt
import pytest
from flask import Flask, jsonify, request

from canopy_web.app import create_web_app, migrate_web
from canopy_web.settings import load_settings

PERSON_ID = "6f1c0c9e-3f55-4a39-9d8e-6a2d2b9d1a01"
TRUST_ID = "0b8a7c35-0c1e-4f7e-8a5e-2a4a1f1c9d02"
EMAIL, PASSWORD = "ada@school.example", "the-right-password"
SECRET = "a-sealing-secret-of-the-tests-" + "x" * 16


def _refused(status: int, message: str, code: str, errors: dict | None = None):
    response = jsonify(status=status, code=code, message=message, errors=errors or {})
    response.status_code = status
    return response


class FakeGateway:
    """What the client sees of the gateway. ``login_expires_in``: the first access token's life
    (under the client's refresh margin, the next call refreshes first); ``refresh_hold``: how long
    a refresh stays in flight; ``refuse_refresh``: identity refuses the refresh token."""

    def __init__(self):
        self.login_expires_in = 3600
        self.refresh_hold = 0.0
        self.refuse_refresh = False
        self.refresh_calls = 0
        self.refreshed_to: list[str] = []  # the access tokens refresh handed out
        self.me_tokens: list[str] = []  # the token each GET /v1/me came with
        self.seen_hosts: list[str] = []
        self.refresh_tokens: set[str] = set()  # still usable (each once)
        self.lock = threading.Lock()
        self.app = self._build()

    def pair(self, expires_in: int) -> dict:
        claims = {"sub": PERSON_ID, "trust_id": TRUST_ID, "grants": [], "jti": uuid.uuid4().hex}
        refresh = uuid.uuid4().hex
        self.refresh_tokens.add(refresh)
        return {"access_token": jwt.encode(claims, "k" * 32, algorithm="HS256"), "refresh_token": refresh,
                "expires_in": expires_in, "token_type": "Bearer"}

    def _build(self) -> Flask:
        stub = Flask("fake-gateway")

        @stub.before_request
        def note_host():
            self.seen_hosts.append(request.host_url)

        @stub.post("/api/identity/v1/auth/login")
        def login():
            body = request.get_json()
            if body.get("email") != EMAIL or body.get("password") != PASSWORD:
                return _refused(401, "email or password is incorrect", "login_failed")
            return jsonify(self.pair(self.login_expires_in))

        @stub.post("/api/identity/v1/auth/refresh")
        def refresh():
            with self.lock:
                self.refresh_calls += 1
                token = request.get_json().get("refresh_token")
                reused = token not in self.refresh_tokens
                self.refresh_tokens.discard(token)
            if self.refuse_refresh or reused:  # a second use revokes the family, as identity does
                return _refused(401, "the refresh token is not valid", "unauthorized")
            time.sleep(self.refresh_hold)  # the refresh in flight while the other requests arrive
            pair = self.pair(3600)
            self.refreshed_to.append(pair["access_token"])
            return jsonify(pair)

        @stub.post("/api/identity/v1/auth/logout")
        def logout():
            return "", 204

        @stub.get("/api/identity/v1/me")
        def me():
            self.me_tokens.append(request.headers.get("Authorization", "").removeprefix("Bearer "))
            return jsonify(person_id=PERSON_ID, given_name="Ada", family_name="Lovelace", preferred_name=None,
                           email=EMAIL, trust={"id": TRUST_ID, "name": "Test Trust"}, employments=[], grants=[])

        @stub.post("/api/identity/v1/me/password")
        def change_password():
            return _refused(422, "The request was not valid.", "invalid",
                            {"json": {"current_password": ["is not your current password"]}})

        @stub.get("/api/portfolio/v1/me/evaluations/due")
        def due():
            return jsonify(total=0, items=[], page=1, page_size=20)

        @stub.get("/api/<service>/v1/me/access-log")
        def access_log(service):
            return jsonify(items=[], total=0, page=1, page_size=100)

        @stub.errorhandler(404)
        def unknown(_exc):
            return _refused(404, "no such path", "not_found")

        return stub


@pytest.fixture
def settings(tmp_path):
    configured = load_settings({"WEB_DATA_DIR": str(tmp_path), "WEB_SECRET_KEY": SECRET})
    migrate_web(configured)
    return configured


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def app(settings, gateway):
    return create_web_app(settings, testing=True, gateway_app=gateway.app)


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def form_token():
    """``form_token(client, path)``: the CSRF token in the form that page shows."""
    return lambda client, path="/sign-in": csrf_of(client.get(path).get_data(as_text=True))


@pytest.fixture
def sign_in():
    """``sign_in(client)``: through the sign-in form (its CSRF token first); returns the answer."""
    def submit(client, password: str = PASSWORD, next_page: str | None = None):
        form = client.get("/sign-in").get_data(as_text=True)
        data = {"csrf_token": csrf_of(form), "email": EMAIL, "password": password}
        if next_page:
            data["next"] = next_page
        return client.post("/sign-in", data=data)

    return submit

"""CSRF, the security headers on every answer, and where a sign-in may send the browser next."""
from __future__ import annotations

import pytest

from canopy_web import auth, security


@pytest.mark.parametrize("target", ["//evil.example", "//evil.example/me", "https://evil.example/", "http:/evil",
                                    "\\\\evil.example", "/\\evil.example", "evil.example", "javascript:alert(1)",
                                    "", None])
def test_a_next_that_could_leave_the_site_is_refused(target):
    assert auth.safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/me", "/me/access?page=2", "/portfolio/activities/42#due"])
def test_a_next_on_this_site_is_kept(target):
    assert auth.safe_next(target) == target


def test_a_sign_in_with_an_outside_next_lands_at_home(client, sign_in):
    answer = sign_in(client, next_page="//evil.example/steal")
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


def test_a_sign_in_with_a_next_on_this_site_returns_there(client, sign_in):
    answer = sign_in(client, next_page="/me/access?page=2")
    assert answer.status_code == 303 and answer.headers["Location"] == "/me/access?page=2"


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client, form_token):
    form_token(client)  # a session with its token
    body = {"email": "ada@school.example", "password": "the-right-password"}
    assert client.post("/sign-in", data=body).status_code == 400
    assert client.post("/sign-in", data={**body, "csrf_token": "not-the-token"}).status_code == 400
    assert client.post("/sign-in", data={**body, "csrf_token": form_token(client)}).status_code == 303


def test_a_post_without_a_session_is_refused(client):
    answer = client.post("/sign-in", data={"csrf_token": "anything", "email": "a@b.example", "password": "x"})
    assert answer.status_code == 400


def test_a_post_from_another_site_is_refused_before_its_token_is_read(client, form_token):
    token = form_token(client)
    body = {"csrf_token": token, "email": "ada@school.example", "password": "the-right-password"}
    assert client.post("/sign-in", data=body, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.post("/sign-in", data=body, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/sign-in", data=body, headers={"Origin": "http://localhost"}).status_code == 303


def test_htmx_requests_send_the_token_in_a_header(client, sign_in):
    sign_in(client)
    token = client.get("/me").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    answer = client.post("/me/password", data={"current_password": "x", "new_password": "y" * 12},
                         headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert answer.status_code == 422  # past the CSRF check: identity's answer about the password
    assert client.post("/me/password", data={}, headers={"X-CSRF-Token": "forged"}).status_code == 400


def _assert_headers(answer, where: str) -> None:
    for name, value in security.SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, f"{where}: {name}"
    policy = answer.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_every_page_and_error_page_has_the_security_headers(app, client, sign_in, gateway):
    pages = {"sign-in": client.get("/sign-in"), "reset": client.get("/reset-password"),
             "not found": client.get("/no-such-page"), "static": client.get("/static/app.css"),
             "health": client.get("/health/live"),
             "bad csrf": client.post("/sign-in", data={}),
             "other site": client.post("/sign-in", data={}, headers={"Origin": "https://evil.example"}),
             "wrong method": client.get("/sign-out")}
    sign_in(client)
    pages["home"] = client.get("/")
    pages["profile"] = client.get("/me")
    gateway.app.view_functions["me"] = lambda: ("", 500)  # identity failing: the client's error page
    pages["service down"] = client.get("/me")
    assert pages["service down"].status_code >= 500
    for where, answer in pages.items():
        _assert_headers(answer, where)
    for where in ("sign-in", "not found", "bad csrf", "home", "service down"):
        assert pages[where].headers["Cache-Control"] == "no-store", where
    refused = ("not found", "bad csrf", "other site", "wrong method")
    assert [pages[where].status_code for where in refused] == [404, 400, 403, 405]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, form_token):
    form_token(client)
    cookie = client.get_cookie("canopy_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"

"""Accounts behind the gateway, on the same running platform: the password policy, sign-in limits
per account and per real client (two clients at two addresses, told apart through the gateway),
access tokens short-lived and refused everywhere once expired, and a disabled person's tokens
refused at once by identity and, as soon as identity's event reaches them, by the other services."""
from __future__ import annotations

import os
import re
import sys
import time
from email import message_from_bytes
from pathlib import Path

import jwt
import pytest

from canopy_kit.auth.tokens import LEEWAY_SECONDS
from canopy_kit.production.supervisor import Child
from canopy_kit.production.topology import free_port
from canopy_kit.testing.faults.platform import ADMIN_PASSWORD
from canopy_kit.testing.http import http, wait_for

pytestmark = pytest.mark.integration

PASSWORD = "a long enough passphrase 2026"
GUESSER, COLLEAGUE = "127.0.0.2", "127.0.0.3"  # two clients of the gateway, on this machine
LINK_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_.~%-]+)")
ACCESS_TOKEN_MINUTES_AT_MOST = 15


def _invitation_token(tier, email: str) -> str | None:
    for path in (tier.platform.folder / "data" / "mail").glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        if message["To"] == email:
            found = LINK_TOKEN.search(message.get_payload(decode=True).decode())
            return found.group(1) if found else None
    return None


@pytest.fixture(scope="module")
def invited(tier):
    """A person invited by the admin: (email, person id, the invitation's one-time token)."""
    platform = tier.platform
    email = f"invited-{platform.unique}@example.org"
    reply = http("POST", f"{platform.gateway}/api/identity/v1/people",
                 {"given_name": "Invited", "family_name": "Faults", "email": email, "invite": True},
                 headers=platform.auth())
    assert reply.status == 201, reply.body
    token = wait_for(lambda: _invitation_token(tier, email), timeout=60, what="the invitation mail")
    return email, reply.json()["id"], token


def _login(tier, email: str, password: str, source: str):
    return http("POST", f"{tier.platform.gateway}/api/identity/v1/auth/login",
                {"email": email, "password": password}, source=source)


def test_the_password_policy_holds_behind_the_gateway(tier, invited):
    email, _, token = invited
    accept = f"{tier.platform.gateway}/api/identity/v1/auth/invitations/accept"
    short = http("POST", accept, {"token": token, "password": "short"})
    assert short.status == 422 and "password" in short.json()["errors"], short.body
    assert http("POST", accept, {"token": token, "password": PASSWORD}).status == 204
    assert http("POST", accept, {"token": token, "password": PASSWORD}).status == 400  # the link is used
    tier.ledger.add_check("password policy", "a short password refused (422 naming `password`); the link "
                          "works once")


def test_a_guesser_locks_out_only_themself(tier, invited):
    email = invited[0]
    failures = [_login(tier, email, "not the password", GUESSER).status for _ in range(5)]
    assert failures == [401] * 5, failures
    time.sleep(6.5)  # past the gateway's own per-client burst: what answers next is identity's limit
    locked = _login(tier, email, PASSWORD, GUESSER)
    assert locked.status == 429 and locked.header("Retry-After"), locked.body
    assert _login(tier, email, PASSWORD, COLLEAGUE).status == 200  # the owner, elsewhere, signs in
    tier.ledger.add_check("sign-in limits per account and per client behind the gateway",
                          "5 failures from one client lock that client out of that account (429 with "
                          "Retry-After); the owner at another address signs in")


def test_a_disabled_persons_tokens_stop_working(tier, invited):
    email, person_id, _ = invited
    platform = tier.platform
    signed_in = _login(tier, email, PASSWORD, COLLEAGUE)
    assert signed_in.status == 200, signed_in.body
    token = signed_in.json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= ACCESS_TOKEN_MINUTES_AT_MOST * 60
    headers = {"Authorization": f"Bearer {token}"}
    own = f"{platform.gateway}/api/portfolio/v1/people/{person_id}/activities"
    assert wait_for(lambda: http("GET", own, headers=headers).status == 200, timeout=30,
                    what="portfolio to know the person")
    disabled = http("POST", f"{platform.gateway}/api/identity/v1/people/{person_id}/disable",
                    headers=platform.auth())
    assert disabled.status == 204, disabled.body
    started = time.monotonic()
    me = http("GET", f"{platform.gateway}/api/identity/v1/me", headers=headers)
    assert me.status == 401 and me.json()["code"] == "account_disabled", me.body
    wait_for(lambda: (r := http("GET", own, headers=headers)).status == 401 and r.json()["code"] == "account_disabled",
             timeout=30, what="portfolio to refuse the disabled person's token")
    elsewhere = time.monotonic() - started
    tier.ledger.add_check("a disabled person's access tokens", f"refused by identity at once and by portfolio "
                          f"{elsewhere:.1f} s later (401 account_disabled); access tokens live "
                          f"{(claims['exp'] - claims['iat']) // 60} minutes")


def test_an_expired_access_token_is_refused_everywhere(tier):
    """An access token is refused once it expires, by identity and by every other service. The
    platform's tokens live 15 minutes; an identity API of the same database with
    ``IDENTITY_ACCESS_TOKEN_SECONDS=3`` signs one, with the same keys, that the tier can wait out."""
    platform = tier.platform
    port = free_port()
    env = {**platform.env, "IDENTITY_ACCESS_TOKEN_SECONDS": "3", "TRUSTED_PROXY_HOPS": "0",
           "PROMETHEUS_MULTIPROC_DIR": str(platform.folder / "short-tokens-metrics")}
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(exist_ok=True)
    short = Child("identity-short-tokens", [sys.executable, "-m", "canopy_kit.cli", "identity", "api",
                                            "--port", str(port), "--workers", "1"],
                  env, platform.folder / "short-tokens.log")
    cwd = os.getcwd()
    os.chdir(platform.repository)  # the gunicorn config is named relative to the repository
    try:
        short.start()
    finally:
        os.chdir(cwd)
    try:
        wait_for(lambda: http("GET", f"http://127.0.0.1:{port}/health/live", timeout=2).status == 200,
                 timeout=60, what="the short-token identity API", interval=0.5)
        login = http("POST", f"http://127.0.0.1:{port}/v1/auth/login",
                     {"email": platform.admin_email, "password": ADMIN_PASSWORD})
        assert login.status == 200, login.body
        token = login.json()["access_token"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 3
        headers = {"Authorization": f"Bearer {token}"}
        places = {"identity": f"{platform.gateway}/api/identity/v1/me",
                  "portfolio": f"{platform.gateway}/api/portfolio/v1/people/{platform.admin_id}/activities"}
        assert {name: http("GET", url, headers=headers).status for name, url in places.items()} == \
            {"identity": 200, "portfolio": 200}  # accepted while it lives
        # Every verifier allows its clocks LEEWAY_SECONDS of skew: expired means past exp by that.
        time.sleep(max(0.0, claims["exp"] + LEEWAY_SECONDS + 1.5 - time.time()))
        expired = {name: http("GET", url, headers=headers) for name, url in places.items()}
        assert {name: (reply.status, reply.json().get("message")) for name, reply in expired.items()} == \
            {"identity": (401, "token expired"), "portfolio": (401, "token expired")}, expired
    finally:
        short.request_stop()
        short.wait_stopped(time.monotonic() + 30)
    tier.ledger.add_check("an expired access token", "a 3-second token (same keys) accepted by identity and "
                          f"portfolio while it lived, refused by both (401 token expired) once past its exp by "
                          f"the {LEEWAY_SECONDS} s clock-skew leeway")

"""Security checks on the same running platform: keys rotated under load without a failed request,
no secret or token in any process's log, and the gateway's own headers."""
from __future__ import annotations

import re
import time

import jwt
import pytest

from canopy_kit.testing.faults.platform import ADMIN_PASSWORD
from canopy_kit.testing.http import http

pytestmark = pytest.mark.integration

TOKEN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


def test_keys_rotated_under_load_without_a_failed_request(tier):
    """Tokens signed before the rotation keep working; the next key is published at once and signs
    only after ``IDENTITY_KEY_ACTIVATION_SECONDS``, so the first token it signs is accepted by
    every service at its first request: their cached key set has it, or they may fetch it."""
    platform, record = tier.platform, tier.load.record
    refused_before = record.statuses[401]
    with tier.load.running():
        time.sleep(2)
        rotated = platform.cli("identity", "rotate-keys")
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        new_kid = rotated.stdout.split("new signing key ", 1)[1].split(",", 1)[0]
        rotated_at = time.monotonic()
        jwks = http("GET", f"{platform.gateway}/api/identity/.well-known/jwks.json").json()
        assert new_kid in {key["kid"] for key in jwks["keys"]}, "the next key is not published at once"

        def kid_of_a_fresh_token():  # the load keeps its older token; sign-in is limited per client
            login = platform.login(platform.admin_email, ADMIN_PASSWORD)
            assert login.status == 200, login.body
            return login.json()["access_token"], jwt.get_unverified_header(login.json()["access_token"])["kid"]

        _, kid_meanwhile = kid_of_a_fresh_token()
        assert kid_meanwhile != new_kid, "identity signed with the next key before its time"
        activation = int(platform.env["IDENTITY_KEY_ACTIVATION_SECONDS"])
        time.sleep(max(0.0, activation + 1 - (time.monotonic() - rotated_at)))
        token, kid_after = kid_of_a_fresh_token()
        assert kid_after == new_kid, "identity did not sign with the next key once its time came"
        signing_after = time.monotonic() - rotated_at
        headers = {"Authorization": f"Bearer {token}"}
        answers = {service: http("GET", url, headers=headers).status for service, url in {
            "identity": f"{platform.gateway}/api/identity/v1/me",
            "portfolio": f"{platform.gateway}/api/portfolio/v1/people/{platform.admin_id}/activities"}.items()}
        ended = tier.after_fault()
    assert record.statuses[401] == refused_before, "a token signed before the rotation was refused"
    assert answers == {"identity": 200, "portfolio": 200}, answers
    tier.settle("signing keys rotated", "`canopy identity rotate-keys` under load: the next key published "
                f"at once, signing {signing_after:.0f} s later", ended)
    tier.ledger.add_check("key rotation under load", "no request with an existing token refused; the next key "
                          f"in the JWKS at once; its first token ({signing_after:.0f} s later) accepted by "
                          "identity and portfolio at their first request")


def test_no_secret_or_token_in_any_log(tier):
    platform = tier.platform
    token = platform.auth()["Authorization"].split()[1]
    logs = [*platform.logs().glob("*.log"), platform.folder / "up-prod.log"]
    leaks = []
    for path in logs:
        content = path.read_text(errors="replace")
        for secret, what in ((ADMIN_PASSWORD, "the admin's password"), (token, "an access token")):
            if secret in content:
                leaks.append(f"{path.name}: {what}")
        if TOKEN.search(content):
            leaks.append(f"{path.name}: something shaped like a token")
    assert len(logs) >= 4 * 3, "the processes' logs were not found"
    assert not leaks, leaks
    tier.ledger.add_check("no secrets or tokens in logs", f"{len(logs)} log files read, 0 leaks")


def test_the_gateway_sets_its_headers_on_every_answer(tier):
    gateway = tier.platform.gateway
    answers = {"the index": http("GET", f"{gateway}/"),
               "a service's answer": http("GET", f"{gateway}/api/identity/v1/me", headers=tier.platform.auth()),
               "the gateway's own 404": http("GET", f"{gateway}/api/nothing/here")}
    for what, reply in answers.items():
        assert reply.header("X-Content-Type-Options") == "nosniff", what
        assert reply.header("X-Request-ID"), what
        assert reply.header("Server") in (None, "nginx"), f"{what}: the gateway names its version"
    tier.ledger.add_check("security headers at the gateway",
                          "X-Content-Type-Options and X-Request-ID on every answer, no version in Server")

"""What the whole run shows, once every fault has been injected: no committed write answered 500
while gunicorn replaced its workers again and again (a fresh worker's first requests), no write
the client had to give up on, every 503 with ``Retry-After`` and no good token refused for an
outage elsewhere, and no account mail lost. Last, the
gateway's sign-in limit (it refuses this client for a while, so nothing signs in after it)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from canopy_kit.testing.faults.platform import MAX_REQUESTS_PER_WORKER
from canopy_kit.testing.http import http

pytestmark = pytest.mark.integration

FRESH_WORKERS_AT_LEAST = 20
CLIENT = "127.0.0.4"  # an address of its own: the limit it earns refuses no other client


def test_no_write_answered_500_while_workers_were_replaced(tier):
    record = tier.load.record
    boots = sum(path.read_text(errors="replace").count("Booting worker")
                for path in tier.platform.logs().glob("*-api.log"))
    assert boots >= FRESH_WORKERS_AT_LEAST, f"only {boots} workers started: the condition was not exercised"
    assert 500 not in record.statuses, record.statuses
    assert not record.refused, record.refused[:5]
    assert not record.abandoned, record.abandoned[:5]
    assert record.unavailable_without_retry_after == 0
    assert not record.reauthenticated, record.reauthenticated[:3]  # an outage is a 503, never a 401
    tier.ledger.add_check(f"fresh gunicorn workers (max_requests {MAX_REQUESTS_PER_WORKER}) never answer 500 "
                          "(finding 5)", f"{boots} workers started, {len(record.acknowledged)} writes, 0 answered 500")


def test_no_account_mail_lost(tier):
    with tier.platform.engine("identity").connect() as conn:
        requested = conn.execute(text(
            "SELECT count(*) FROM outbox WHERE event_type = 'identity.account_mail.requested'")).scalar_one()
    sent = len(list((tier.platform.folder / "data" / "mail").glob("*.eml")))
    assert sent >= requested > 0
    tier.ledger.add_check("account mail (sent outside the database: at least once)",
                          f"{requested} requested, {sent} sent ({sent - requested} again after a consumer died "
                          "between sending and committing)")


def test_sign_in_is_limited_per_client_at_the_gateway(tier):
    gateway, email = tier.platform.gateway, f"nobody-{tier.platform.unique}@example.org"
    answers = [http("POST", f"{gateway}/api/identity/v1/auth/login", {"email": email, "password": "wrong password"},
                    source=CLIENT) for _ in range(15)]
    statuses = [reply.status for reply in answers]
    assert set(statuses) <= {401, 429} and 429 in statuses, statuses
    limited = next(reply for reply in answers if reply.status == 429)
    assert limited.json()["status"] == 429 and limited.header("Retry-After"), limited.body
    tier.ledger.add_check("sign-in limited per client behind the gateway",
                          f"{statuses.count(401)} refused as wrong, then 429 with Retry-After")

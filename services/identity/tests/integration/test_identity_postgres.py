"""Identity on PostgreSQL: migrations, sign-in, /v1/me and racing refreshes."""
import threading

import jwt
import pytest
from sqlalchemy import inspect

from canopy_kit.auth import StaticKeySource, TokenVerifier
from canopy_kit.testing import outbox_events

pytestmark = pytest.mark.integration


def test_migrations_create_kit_and_identity_tables(identity_pg):
    tables = set(inspect(identity_pg.runtime.engine).get_table_names())
    assert {"outbox", "inbox", "idempotency_keys", "kit_alembic_version", "alembic_version", "trusts", "people",
            "employments", "role_grants", "line_managers", "signing_keys", "refresh_tokens"} <= tables


def test_login_works_against_postgres(identity_pg):
    trust_id, admin_id = identity_pg.create_trust()
    response = identity_pg.login()
    assert response.status_code == 200
    token = response.json["access_token"]
    jwks = identity_pg.client.get("/.well-known/jwks.json").json
    keys = StaticKeySource({k["kid"]: jwt.PyJWK.from_dict(k).key for k in jwks["keys"]})
    principal = TokenVerifier(keys, issuer="canopy-identity", audience="canopy").verify(token)
    assert (principal.person_id, principal.trust_id) == (admin_id, trust_id)
    me = identity_pg.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "admin@oak.example.org"
    assert [e.event_type for e in outbox_events(identity_pg.runtime)][0] == "identity.trust.created"
    assert identity_pg.login(password="wrong password").status_code == 401


def test_two_refreshes_of_one_token_at_once_give_one_new_pair(identity_pg):
    identity_pg.create_trust()
    refresh_token = identity_pg.login().json["refresh_token"]
    app = identity_pg.client.application
    results = []
    barrier = threading.Barrier(2)

    def refresh():
        client = app.test_client()
        barrier.wait()
        results.append(client.post("/v1/auth/refresh", json={"refresh_token": refresh_token}).status_code)

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 401]

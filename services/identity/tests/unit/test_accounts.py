"""Trust creation, sign-in, refresh rotation, logout, /v1/me and the published keys."""
import time
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from canopy_kit.auth import StaticKeySource, TokenVerifier
from canopy_kit.errors import Conflict, Invalid
from canopy_kit.testing import outbox_events
from identity import commands, keys
from identity.tables import people, signing_keys
from sqlalchemy import select, update




def _verify_with_published_keys(client, token):
    jwks = client.get("/.well-known/jwks.json").json
    source = StaticKeySource({jwk["kid"]: jwt.PyJWK.from_dict(jwk).key for jwk in jwks["keys"]})
    return TokenVerifier(source, issuer="canopy-identity", audience="canopy").verify(token)


def test_creating_a_trust_records_its_admin_and_events(identity):
    trust_id, admin_id = identity.create_trust()
    events = outbox_events(identity.runtime)
    assert [e.event_type for e in events] == [
        "identity.trust.created", "identity.person.registered", "identity.role.granted"]
    assert all(e.trust_id == trust_id for e in events)
    assert events[2].payload == {**events[2].payload, "person_id": admin_id, "role": "trust_admin",
                                 "scope_type": "trust", "scope_id": trust_id}
    with identity.runtime.engine.connect() as conn:
        stored = conn.execute(select(people.c.password_hash, people.c.email)).one()
    assert stored.password_hash.startswith("$argon2id$") and identity.password not in stored.password_hash
    assert "password" not in events[1].payload


def test_login_returns_a_token_that_verifies_against_the_jwks(identity):
    trust_id, admin_id = identity.create_trust()
    response = identity.login(email="ADMIN@oak.example.org ")  # case and spaces do not matter
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 900 and body["refresh_token"]
    principal = _verify_with_published_keys(identity.client, body["access_token"])
    assert (principal.person_id, principal.trust_id) == (admin_id, trust_id)
    assert principal.has_role("trust_admin")
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "EdDSA"


def test_wrong_password_and_unknown_user_look_the_same(identity):
    identity.create_trust()
    wrong = identity.login(password="not the password")
    unknown = identity.login(email="nobody@oak.example.org")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json == {"code": "login_failed", "status": 401,
                                          "message": "email or password is incorrect", "errors": {}}


@pytest.mark.parametrize("body, field", [
    ({"password": "x"}, "email"),
    ({"email": "a@b.org"}, "password"),
    ({"email": "a@b.org", "password": "x", "admin": True}, "admin"),
    ({"email": "a" * 300, "password": "x"}, "email"),
])
def test_login_bad_input_names_the_field(identity, body, field):
    response = identity.client.post("/v1/auth/login", json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_refresh_rotates_and_a_reused_token_revokes_the_family(identity):
    identity.create_trust()
    first = identity.login().json
    second = identity.client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json["refresh_token"] != first["refresh_token"]
    replay = identity.client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json["code"] == "refresh_rejected"
    # The thief's replay also ended the legitimate successor: the family is revoked.
    after = identity.client.post("/v1/auth/refresh", json={"refresh_token": second.json["refresh_token"]})
    assert after.status_code == 401


def test_logout_revokes_the_refresh_token(identity):
    identity.create_trust()
    pair = identity.login().json
    assert identity.client.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    assert identity.client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    again = identity.client.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 204  # logging out twice is harmless


def test_me_needs_a_valid_token(identity):
    trust_id, admin_id = identity.create_trust()
    token = identity.access_token()
    me = identity.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["person_id"] == admin_id and me.json["trust"]["slug"] == "oak"
    assert me.json["grants"] == [{"role": "trust_admin", "scope": "trust", "id": trust_id}]
    assert identity.client.get("/v1/me").status_code == 401
    garbage = identity.client.get("/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert garbage.status_code == 401 and garbage.json["code"] == "unauthorized"


def test_token_signed_by_an_unknown_key_or_expired_is_401(identity):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _, admin_id = identity.create_trust()
    real_kid = jwt.get_unverified_header(identity.access_token())["kid"]
    now = int(time.time())
    claims = {"iss": "canopy-identity", "aud": "canopy", "sub": admin_id, "trust_id": "x", "typ": "access",
              "grants": [], "iat": now, "exp": now + 60}
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "made-up"})
    response = identity.client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and "unknown key" in response.json["message"]
    with identity.runtime.uow_factory() as uow:
        kid, private = keys.signing_key(uow.session)
    assert kid == real_kid
    expired = jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600}, private, algorithm="EdDSA",
                         headers={"kid": kid})
    response = identity.client.get("/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.json["message"] == "token expired"


def test_key_rotation_keeps_old_tokens_valid(identity):
    identity.create_trust()
    old_token = identity.access_token()
    with identity.runtime.uow_factory() as uow:
        new_kid = keys.rotate(uow.session)
        uow.commit()
    new_token = identity.access_token()
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert len(identity.client.get("/.well-known/jwks.json").json["keys"]) == 2
    for token in (old_token, new_token):
        assert identity.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_next_key_is_published_before_it_signs(identity):
    identity.create_trust()
    old_kid = jwt.get_unverified_header(identity.access_token())["kid"]
    with identity.runtime.uow_factory() as uow:
        new_kid = keys.rotate(uow.session, activation=timedelta(seconds=30))
        uow.commit()
    published = {key["kid"] for key in identity.client.get("/.well-known/jwks.json").json["keys"]}
    assert published == {old_kid, new_kid}  # every verifier can fetch it before it sees it
    assert jwt.get_unverified_header(identity.access_token())["kid"] == old_kid  # not signing yet
    switched = datetime.now(timezone.utc) - timedelta(seconds=1)  # as if the 30 s went by
    with identity.runtime.engine.begin() as conn:
        conn.execute(update(signing_keys).where(signing_keys.c.kid == new_kid).values(signs_from=switched))
        conn.execute(update(signing_keys).where(signing_keys.c.kid == old_kid).values(retired_at=switched))
    assert jwt.get_unverified_header(identity.access_token())["kid"] == new_kid
    published = {key["kid"] for key in identity.client.get("/.well-known/jwks.json").json["keys"]}
    assert published == {old_kid, new_kid}  # the old one verifies its tokens until they expire


def test_schools_list_shows_only_the_callers_trust(identity):
    oak_id, _ = identity.create_trust("oak", "admin@oak.example.org")
    elm_id, _ = identity.create_trust("elm", "admin@elm.example.org")
    with identity.runtime.uow_factory() as uow:
        commands.add_school(uow, trust_id=oak_id, name="Oak Primary", phase="primary", urn="100001")
        commands.add_school(uow, trust_id=elm_id, name="Elm Academy", phase="secondary", urn="100002")
        uow.commit()
    token = identity.access_token("admin@elm.example.org")
    page = identity.client.get("/v1/schools", headers={"Authorization": f"Bearer {token}"}).json
    assert [s["name"] for s in page["items"]] == ["Elm Academy"] and page["total"] == 1


def test_same_email_in_two_trusts_asks_which_trust(identity):
    identity.create_trust("oak", "shared@example.org")
    identity.create_trust("elm", "shared@example.org")
    ambiguous = identity.login(email="shared@example.org")
    assert ambiguous.status_code == 409 and "trust" in ambiguous.json["errors"]
    chosen = identity.login(email="shared@example.org", trust="elm")
    assert chosen.status_code == 200


def test_duplicate_slug_and_email_are_rejected_without_writing(identity):
    identity.create_trust("oak")
    before = len(outbox_events(identity.runtime))
    with identity.runtime.uow_factory() as uow:
        with pytest.raises(Conflict) as caught:
            commands.create_trust(uow, name="Again", slug="oak")
    assert "slug" in caught.value.errors
    assert len(outbox_events(identity.runtime)) == before


def test_short_password_is_refused(identity):
    with identity.runtime.uow_factory() as uow:
        with pytest.raises(Invalid) as caught:
            commands.create_trust_with_admin(uow, name="Ash", slug="ash", admin_given_name="A",
                                             admin_family_name="B", admin_email="a@ash.org", admin_password="short")
    assert "password" in caught.value.errors

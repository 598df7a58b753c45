"""Token verification against published keys, with caching and rotation."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from canopy_kit.auth import (
    Grant, JwksKeySource, KeysUnavailable, Principal, StaticKeySource, TokenError, TokenVerifier,
)

TRUST, SCHOOL_A, SCHOOL_B = "t-1", "s-a", "s-b"


def _jwk(private, kid):
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private.public_key()))
    return {**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"}


def _token(private, kid, **overrides):
    now = int(time.time())
    claims = {"iss": "canopy-identity", "aud": "canopy", "sub": "p-1", "trust_id": TRUST, "typ": "access",
              "grants": [{"role": "headteacher", "scope": "school", "id": SCHOOL_A}], "iat": now, "exp": now + 60,
              **overrides}
    return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": kid})


@pytest.fixture
def jwks_server():
    """A local JWKS endpoint whose key set the test can change, counting fetches."""
    state = {"keys": [], "fetches": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["fetches"] += 1
            body = json.dumps({"keys": state["keys"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json", state
    server.shutdown()


def _verifier(source):
    return TokenVerifier(source, issuer="canopy-identity", audience="canopy")


def test_valid_token_gives_the_principal_and_grants():
    key = Ed25519PrivateKey.generate()
    principal = _verifier(StaticKeySource({"k1": key.public_key()})).verify(_token(key, "k1"))
    assert principal == Principal("p-1", TRUST, (Grant("headteacher", "school", SCHOOL_A),), None)


@pytest.mark.parametrize("change, reason", [
    ({"exp": int(time.time()) - 3600}, "expired"),
    ({"aud": "someone-else"}, "invalid token"),
    ({"iss": "evil"}, "invalid token"),
    ({"typ": "refresh"}, "not an access token"),
])
def test_bad_claims_are_rejected(change, reason):
    key = Ed25519PrivateKey.generate()
    with pytest.raises(TokenError, match=reason):
        _verifier(StaticKeySource({"k1": key.public_key()})).verify(_token(key, "k1", **change))


def test_token_signed_by_an_unknown_key_is_rejected():
    known, forger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    with pytest.raises(TokenError, match="unknown key"):
        _verifier(StaticKeySource({"k1": known.public_key()})).verify(_token(forger, "k2"))
    with pytest.raises(TokenError, match="invalid token"):  # right kid, wrong signature
        _verifier(StaticKeySource({"k1": known.public_key()})).verify(_token(forger, "k1"))


def test_garbage_and_hs256_tokens_are_rejected():
    with pytest.raises(TokenError):
        _verifier(StaticKeySource({})).verify("not.a.token")
    hs = jwt.encode({"sub": "x"}, "secret-secret-secret-secret-32by", algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(TokenError, match="unexpected algorithm"):
        _verifier(StaticKeySource({"k1": "secret"})).verify(hs)


def test_an_accepted_token_is_remembered_until_it_expires(monkeypatch):
    key = Ed25519PrivateKey.generate()
    now = [time.time()]
    verifier = TokenVerifier(StaticKeySource({"k1": key.public_key()}), issuer="canopy-identity",
                             audience="canopy", clock=lambda: now[0])
    token = _token(key, "k1", exp=int(now[0]) + 60)
    decoded = []
    real_decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **kw: decoded.append(1) or real_decode(*a, **kw))
    first = verifier.verify(token)
    assert verifier.verify(token) is first and verifier.verify(token) is first
    assert len(decoded) == 1  # the signature was checked once
    now[0] += 60 + 29  # still inside the leeway
    assert verifier.verify(token) is first
    now[0] += 2
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(token)


def test_a_remembered_token_is_checked_again_when_its_key_changes():
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    keys = {"k1": old.public_key()}
    verifier = _verifier(StaticKeySource(keys))
    token = _token(old, "k1")
    verifier.verify(token)
    verifier.keys._keys["k1"] = new.public_key()  # identity replaced the key behind the kid
    with pytest.raises(TokenError, match="invalid token"):
        verifier.verify(token)
    verifier.keys._keys.clear()  # and then withdrew it
    with pytest.raises(TokenError, match="unknown key"):
        verifier.verify(token)


def test_rejected_tokens_are_not_remembered():
    known, forger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    verifier = _verifier(StaticKeySource({"k1": known.public_key()}))
    forged = _token(forger, "k1")
    for _ in range(2):
        with pytest.raises(TokenError, match="invalid token"):
            verifier.verify(forged)


def test_jwks_is_cached_and_refetched_when_a_new_key_appears(jwks_server):
    url, state = jwks_server
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    state["keys"] = [_jwk(old, "old")]
    source = JwksKeySource(url, cache_seconds=300, refresh_interval=0)
    verifier = _verifier(source)
    for _ in range(3):
        verifier.verify(_token(old, "old"))
    assert state["fetches"] == 1  # cached
    state["keys"] = [_jwk(new, "new"), _jwk(old, "old")]  # identity rotated
    assert verifier.verify(_token(new, "new")).person_id == "p-1"
    assert verifier.verify(_token(old, "old")).person_id == "p-1"  # old tokens still verify
    assert state["fetches"] == 2


def test_unknown_kids_cannot_make_us_hammer_identity(jwks_server):
    url, state = jwks_server
    key = Ed25519PrivateKey.generate()
    state["keys"] = [_jwk(key, "k")]
    verifier = _verifier(JwksKeySource(url, refresh_interval=60))
    verifier.verify(_token(key, "k"))
    for i in range(20):
        with pytest.raises(TokenError):
            verifier.verify(_token(key, f"forged-{i}"))
    assert state["fetches"] == 1


def test_keys_that_cannot_be_fetched_ask_the_caller_to_try_again():
    """A fresh process whose first fetch of identity's keys fails (identity restarting) must not
    tell a client with a good token to sign in again: 503 with Retry-After, not 401."""
    from types import SimpleNamespace

    from flask import Flask

    from canopy_kit.web.auth import current_principal
    from canopy_kit.production.topology import free_port
    from canopy_kit.web.errors import ApiError

    key = Ed25519PrivateKey.generate()
    verifier = _verifier(JwksKeySource(f"http://127.0.0.1:{free_port()}/jwks.json", timeout=1))
    with pytest.raises(KeysUnavailable):
        verifier.verify(_token(key, "k"))
    app = Flask(__name__)
    app.extensions["canopy"] = SimpleNamespace(verifier=verifier)
    with app.test_request_context(headers={"Authorization": f"Bearer {_token(key, 'k')}"}):
        with pytest.raises(ApiError) as raised:
            current_principal()
    assert raised.value.code == 503 and raised.value.extra_headers["Retry-After"]


def test_principal_roles_respect_scope():
    principal = Principal("p", TRUST, (Grant("headteacher", "school", SCHOOL_A), Grant("coach", "trust", TRUST),
                                       Grant("cpd_lead", "group", "g", (SCHOOL_A, SCHOOL_B))))
    assert principal.has_role("headteacher", school_id=SCHOOL_A)
    assert not principal.has_role("headteacher", school_id=SCHOOL_B)
    assert not principal.has_role("headteacher")  # not at trust scope
    assert principal.has_role("coach", school_id=SCHOOL_B)  # a trust grant covers every school
    assert principal.has_role("cpd_lead", school_id=SCHOOL_B)
    assert principal.schools_with({"headteacher", "cpd_lead"}) == {SCHOOL_A, SCHOOL_B}
    other_trust = Principal("p", "t-2", (Grant("trust_leader", "trust", TRUST),))
    assert not other_trust.has_role("trust_leader")  # a grant naming another trust counts for nothing


def test_a_refusal_reason_with_quotes_keeps_the_challenge_header_well_formed():
    from flask import Flask

    from canopy_kit.web.auth import _unauthorized

    with Flask(__name__).app_context():
        refusal = _unauthorized('invalid token: Token is missing the "exp" claim \\ here')
    header = refusal.extra_headers["WWW-Authenticate"]
    assert header == 'Bearer error="invalid_token", error_description="invalid token: Token is missing the ' \
                     '\\"exp\\" claim \\\\ here"'

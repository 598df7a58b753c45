"""Disabling an account ends its access tokens at once in identity too, checked against identity's
own tables; enabling it lets the person back in."""


def _post(trust, actor, path):
    return trust.service.client.post(path, headers=trust.headers(actor))


def test_a_disabled_accounts_access_token_is_refused_at_once_and_enabling_lets_them_back(identity, trust):
    client, teacher = identity.client, trust.headers(trust.teacher)
    assert client.get("/v1/schools", headers=teacher).status_code == 200  # verified, and remembered as such

    assert _post(trust, trust.admin, f"/v1/people/{trust.teacher}/disable").status_code == 204
    for path in ("/v1/me", "/v1/schools", "/v1/me/appraisees"):
        refused = client.get(path, headers=teacher)
        assert refused.status_code == 401 and refused.json["code"] == "account_disabled", path
    assert client.get("/v1/schools", headers=trust.headers(trust.admin)).status_code == 200

    assert _post(trust, trust.admin, f"/v1/people/{trust.teacher}/enable").status_code == 204
    assert client.get("/v1/schools", headers=trust.headers(trust.teacher)).status_code == 200


def test_a_leaver_is_signed_out_of_every_request_on_their_last_day(identity, trust):
    from datetime import date

    headers = trust.headers(trust.teacher_b)
    assert identity.client.get("/v1/schools", headers=headers).status_code == 200
    left = identity.client.post(f"/v1/people/{trust.teacher_b}/leave", json={"last_day": date.today().isoformat()},
                                headers=trust.headers(trust.admin))
    assert left.status_code == 204, left.json
    assert identity.client.get("/v1/schools", headers=headers).json["code"] == "account_disabled"


def test_the_reason_for_disabling_is_kept_in_the_audit_log_and_an_empty_one_is_refused(identity, trust):
    admin = trust.headers(trust.admin)
    refused = identity.client.post(f"/v1/people/{trust.teacher}/disable", json={"reason": ""}, headers=admin)
    assert refused.status_code == 422 and "reason" in refused.json["errors"]
    done = identity.client.post(f"/v1/people/{trust.teacher}/disable", json={"reason": "long-term absence"},
                                headers=admin)
    assert done.status_code == 204
    entries = identity.client.get(f"/v1/audit?action=account.disabled&subject_id={trust.teacher}", headers=admin).json
    assert [entry["details"]["reason"] for entry in entries["items"]] == ["long-term absence"]

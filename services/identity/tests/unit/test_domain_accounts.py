"""An account's states, its one-time links, its password policy and its sign-in limits."""
from datetime import datetime, timedelta, timezone

import pytest

from canopy_kit.errors import BadRequest, Conflict, Invalid, TooManyAttempts
from identity.domain import sign_in
from identity.domain.accounts import (
    OneTimeLink, check_invitable, check_link, check_may_reset_password, mail_still_wanted, normalise_email,
    status_on_accepting_invitation, status_on_enabling, status_on_registering,
)
from identity.domain.password_policy import MAX_LENGTH, MIN_LENGTH, check_password

NOW = datetime(2025, 11, 1, 12, 0, tzinfo=timezone.utc)


def test_an_account_starts_active_only_with_a_password():
    assert status_on_registering(True) == "active" and status_on_registering(False) == "invited"


def test_accepting_an_invitation_activates_an_invited_account_and_leaves_an_active_one():
    assert status_on_accepting_invitation("invited") == "active"
    assert status_on_accepting_invitation("active") is None
    with pytest.raises(Conflict):
        status_on_accepting_invitation("disabled")


def test_a_disabled_account_is_invited_to_nothing_and_only_an_active_one_resets():
    check_invitable("invited")
    check_invitable("active")
    with pytest.raises(Conflict):
        check_invitable("disabled")
    check_may_reset_password("active")
    for status in ("invited", "disabled"):
        with pytest.raises(Conflict):
            check_may_reset_password(status)


def test_enabling_restores_the_state_the_password_allows_and_only_from_disabled():
    assert status_on_enabling("disabled", has_password=True) == "active"
    assert status_on_enabling("disabled", has_password=False) == "invited"
    with pytest.raises(Conflict):
        status_on_enabling("active", has_password=True)


@pytest.mark.parametrize("link", [
    None,  # no such token
    OneTimeLink(used_at=NOW - timedelta(minutes=5), expires_at=NOW + timedelta(hours=1)),
    OneTimeLink(used_at=None, expires_at=NOW),  # expires at this very moment
])
def test_an_unknown_used_or_expired_link_is_refused_alike(link):
    with pytest.raises(BadRequest) as refused:
        check_link(link, NOW)
    assert list(refused.value.errors) == ["token"]


def test_a_fresh_link_works():
    check_link(OneTimeLink(used_at=None, expires_at=NOW + timedelta(seconds=1)), NOW)


def test_mail_goes_only_to_accounts_still_in_a_state_to_use_it():
    assert mail_still_wanted("invitation", "invited") and mail_still_wanted("invitation", "active")
    assert not mail_still_wanted("invitation", "disabled")
    assert mail_still_wanted("password_reset", "active")
    assert not mail_still_wanted("password_reset", "invited") and not mail_still_wanted("password_reset", None)


def test_emails_compare_lower_case_without_spaces():
    assert normalise_email("  Ada.Admin@Oak.Example.ORG ") == "ada.admin@oak.example.org"


def test_a_password_keeps_to_its_lengths():
    check_password("x" * MIN_LENGTH)
    check_password("x" * MAX_LENGTH)
    for password in ("x" * (MIN_LENGTH - 1), "x" * (MAX_LENGTH + 1)):
        with pytest.raises(Invalid) as refused:
            check_password(password)
        assert list(refused.value.errors) == ["password"]


def test_failures_count_per_account_per_address_and_per_address_without_saying_who_exists():
    keys = sign_in.FailureKeys.of(" Ada@Oak.org ", "198.51.100.7")
    assert keys.account == "account:ada@oak.org"
    assert keys.account_from_client == "account:ada@oak.org|client:198.51.100.7"
    assert keys.client == "client:198.51.100.7"
    assert [limit for _key, limit in keys.limits()] == [sign_in.ACCOUNT_PER_CLIENT_LIMIT, sign_in.ACCOUNT_LIMIT,
                                                        sign_in.CLIENT_LIMIT]
    unknown_address = sign_in.FailureKeys.of("ada@oak.org", None)
    assert unknown_address.client is None and len(unknown_address.limits()) == 2


def test_a_very_long_email_still_fits_the_key_column():
    keys = sign_in.FailureKeys.of("a" * 400 + "@oak.org", "2001:db8::" + "f" * 60)
    assert all(len(key) <= sign_in.KEY_LENGTH for key, _limit in keys.limits())
    assert keys.account_from_client.startswith(keys.account)


def test_sign_in_waits_once_any_key_reaches_its_limit():
    keys = sign_in.FailureKeys.of("ada@oak.org", "198.51.100.7")
    sign_in.check_attempts(keys, lambda key: sign_in.ACCOUNT_PER_CLIENT_LIMIT - 1)
    counts = {keys.client: sign_in.CLIENT_LIMIT}
    with pytest.raises(TooManyAttempts) as refused:
        sign_in.check_attempts(keys, lambda key: counts.get(key, 0))
    assert refused.value.retry_after == int(sign_in.WINDOW.total_seconds())

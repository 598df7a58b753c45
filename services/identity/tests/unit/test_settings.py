"""Identity's own settings come from the same IDENTITY_* variables as always, typed, one default each."""
from pathlib import Path

import jwt
import pytest

from canopy_kit.settings import SettingsError
from identity.service import SERVICE
from identity.settings import IdentitySettings


def test_identitys_settings_are_read_from_its_own_variables():
    settings = SERVICE.load_settings({
        "DATA_DIR": "/srv/canopy", "IDENTITY_KEY_PASSPHRASE": "s3cret", "IDENTITY_SMTP_URL_FILE": "/run/secrets/smtp",
        "IDENTITY_MAIL_FROM": "Oak <no-reply@oak.example.org>", "IDENTITY_INVITATION_URL": "https://oak.example/join",
        "IDENTITY_RESET_URL": "https://oak.example/reset", "SMTP_URL": "smtp://not-identitys:25"})
    assert isinstance(settings, IdentitySettings)
    assert settings.key_passphrase == "s3cret" and settings.smtp_url is None  # only IDENTITY_SMTP_URL names it
    assert settings.smtp_url_file == Path("/run/secrets/smtp")
    assert settings.mail_from == "Oak <no-reply@oak.example.org>"
    assert (settings.invitation_url, settings.reset_url) == ("https://oak.example/join", "https://oak.example/reset")
    assert settings.mail_folder == Path("/srv/canopy/mail")
    assert "key_passphrase" not in repr(settings)  # a logged settings object does not name it


def test_unset_means_the_one_default_in_the_class():
    settings = SERVICE.load_settings({"DATA_DIR": "/srv/canopy", "IDENTITY_MAIL_DIR": "/var/mail/canopy",
                                      "IDENTITY_MAIL_FROM": ""})
    assert settings.key_passphrase is None and settings.smtp_url is None and settings.smtp_url_file is None
    assert settings.mail_from == IdentitySettings.mail_from
    assert settings.mail_folder == Path("/var/mail/canopy")


def test_access_tokens_can_be_shorter_never_longer_than_fifteen_minutes():
    assert SERVICE.load_settings({}).access_token_lifetime.total_seconds() == 900
    assert SERVICE.load_settings({"IDENTITY_ACCESS_TOKEN_SECONDS": "60"}).access_token_seconds == 60
    with pytest.raises(SettingsError, match="IDENTITY_ACCESS_TOKEN_SECONDS must be at most 900"):
        SERVICE.load_settings({"IDENTITY_ACCESS_TOKEN_SECONDS": "3600"})


def test_a_sign_in_gives_a_token_of_the_configured_lifetime(identity):
    identity.create_trust()
    identity.runtime.settings = identity.runtime.settings.with_overrides(access_token_seconds=60)
    signed_in = identity.login()
    assert signed_in.status_code == 200 and signed_in.json["expires_in"] == 60
    claims = jwt.decode(signed_in.json["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 60

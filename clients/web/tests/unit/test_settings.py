"""The web client's settings refuse what would make it unsafe or broken, naming the variable."""
from __future__ import annotations

import pytest

from canopy_kit.settings import SettingsError
from canopy_web.settings import load_settings


@pytest.mark.parametrize("name, value, says", [
    ("WEB_COOKIE_SECURE", "sometimes", "must be one of auto, on, off"),
    ("WEB_IDLE_MINUTES", "1", "must be at least 5"),
    ("WEB_IDLE_MINUTES", "soon", "must be a whole number"),
    ("WEB_SESSION_HOURS", "0", "must be at least 1"),
    ("WEB_SESSION_HOURS", "100000", "must be at most"),
    ("WEB_API_TIMEOUT_SECONDS", "0.1", "must be at least 1"),
    ("WEB_MAX_UPLOAD_BYTES", "10", "must be at least 1024"),
])
def test_a_bad_value_is_refused_naming_its_variable(name, value, says):
    with pytest.raises(SettingsError) as refused:
        load_settings({name: value})
    assert name in str(refused.value) and says in str(refused.value)


def test_the_defaults_are_safe():
    settings = load_settings({})
    assert settings.cookie_secure == "auto" and settings.idle_minutes <= 24 * 60 and settings.session_hours <= 24


def test_a_short_secret_file_is_refused(tmp_path):
    short = tmp_path / "secret"
    short.write_text("too-short")
    with pytest.raises(SettingsError, match="at least 32 characters"):
        load_settings({"WEB_SECRET_KEY_FILE": str(short)}).sealing_secret()
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings({"WEB_SECRET_KEY_FILE": str(tmp_path / "missing")}).sealing_secret()


def test_without_a_secret_one_is_made_once_and_kept_for_every_worker(tmp_path):
    first = load_settings({"WEB_DATA_DIR": str(tmp_path)}).sealing_secret()
    again = load_settings({"WEB_DATA_DIR": str(tmp_path)}).sealing_secret()
    assert first == again and len(first) >= 32
    assert (tmp_path / "web-secret").stat().st_mode & 0o077 == 0  # its owner's alone

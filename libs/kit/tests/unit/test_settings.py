from pathlib import Path

import pytest

from canopy_kit.settings import Settings, SettingsError


def test_embedded_defaults_need_no_configuration(tmp_path):
    settings = Settings.from_env("skills-exchange", environ={"DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'skills_exchange.db'}"
    assert settings.bus_url == f"filesystem://{tmp_path / 'bus'}"
    assert settings.exchange == "canopy.events"
    assert settings.queue_name("skills-exchange") == "skills-exchange.events"


def test_one_shared_url_names_a_database_per_service():
    env = {"DATABASE_URL": "postgresql://postgres@db/canopy_{service}"}
    assert Settings.from_env("identity", environ=env).database_url == "postgresql+psycopg://postgres@db/canopy_identity"
    assert Settings.from_env("skills-exchange", environ=env).database_url.endswith("/canopy_skills_exchange")


def test_service_specific_value_wins_and_extra_options_are_kept():
    env = {"BUS_URL": "memory://", "IDENTITY_BUS_URL": "amqp://guest:guest@rabbit//",
           "IDENTITY_KEY_PASSPHRASE": "s3cret", "CANOPY_CONSUMER_MAX_ATTEMPTS": "7"}
    settings = Settings.from_env("identity", environ=env)
    assert settings.bus_url == "amqp://guest:guest@rabbit//"
    assert settings.option("KEY_PASSPHRASE") == "s3cret"
    assert settings.consumer_max_attempts == 7
    assert Settings.from_env("portfolio", environ=env).bus_url == "memory://"


def test_a_bad_number_is_a_clear_error():
    with pytest.raises(SettingsError, match="CONSUMER_MAX_ATTEMPTS must be a whole number"):
        Settings.from_env("identity", environ={"CONSUMER_MAX_ATTEMPTS": "many"})

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


def test_service_specific_value_wins_and_its_own_values_are_kept():
    env = {"BUS_URL": "memory://", "IDENTITY_BUS_URL": "amqp://guest:guest@rabbit//",
           "IDENTITY_KEY_PASSPHRASE": "s3cret", "CANOPY_CONSUMER_MAX_ATTEMPTS": "7"}
    settings = Settings.from_env("identity", environ=env)
    assert settings.bus_url == "amqp://guest:guest@rabbit//"
    assert settings.extra["KEY_PASSPHRASE"] == "s3cret"
    assert settings.consumer_max_attempts == 7
    assert Settings.from_env("portfolio", environ=env).bus_url == "memory://"


def test_a_bad_number_is_a_clear_error():
    with pytest.raises(SettingsError, match="CONSUMER_MAX_ATTEMPTS must be a whole number"):
        Settings.from_env("identity", environ={"CONSUMER_MAX_ATTEMPTS": "many"})


from dataclasses import dataclass, field  # noqa: E402


@dataclass(frozen=True)
class ExampleSettings(Settings):
    follow_up_weeks: int = field(default=6, metadata={"min": 1})
    evidence_dir: Path | None = None
    send_mail: bool = True


def test_a_services_own_settings_are_typed_with_one_default():
    assert ExampleSettings.from_env("example", environ={}).follow_up_weeks == 6
    env = {"EXAMPLE_FOLLOW_UP_WEEKS": "8", "EXAMPLE_EVIDENCE_DIR": "/srv/evidence", "EXAMPLE_SEND_MAIL": "no"}
    settings = ExampleSettings.from_env("example", environ=env)
    assert (settings.follow_up_weeks, settings.evidence_dir, settings.send_mail) == (8, Path("/srv/evidence"), False)


def test_a_services_own_setting_is_read_only_under_its_own_prefix():
    # FOLLOW_UP_WEEKS belongs to one service: a shared or CANOPY_ value does not set it.
    env = {"FOLLOW_UP_WEEKS": "9", "CANOPY_FOLLOW_UP_WEEKS": "9"}
    assert ExampleSettings.from_env("example", environ=env).follow_up_weeks == 6


@pytest.mark.parametrize("raw, message", [("soon", "EXAMPLE_FOLLOW_UP_WEEKS must be a whole number"),
                                          ("0", "EXAMPLE_FOLLOW_UP_WEEKS must be at least 1")])
def test_a_bad_own_setting_names_its_variable(raw, message):
    with pytest.raises(SettingsError, match=message):
        ExampleSettings.from_env("example", environ={"EXAMPLE_FOLLOW_UP_WEEKS": raw})


def test_platform_settings_are_adopted_as_the_services_class():
    shared = Settings.from_env("example", environ={"BUS_URL": "memory://", "EXAMPLE_FOLLOW_UP_WEEKS": "3"})
    adopted = ExampleSettings.adopt(shared)
    assert isinstance(adopted, ExampleSettings)
    assert (adopted.bus_url, adopted.follow_up_weeks) == ("memory://", 3)
    assert ExampleSettings.adopt(adopted) is adopted


def test_raw_values_never_appear_in_a_repr():
    settings = Settings.from_env("identity", environ={"IDENTITY_KEY_PASSPHRASE": "s3cret-passphrase"})
    assert settings.extra["KEY_PASSPHRASE"] == "s3cret-passphrase"
    assert "s3cret-passphrase" not in repr(settings)


def test_a_services_settings_without_the_dataclass_decorator_are_refused():
    class Forgotten(Settings):  # annotations only: no field would ever be read
        follow_up_weeks: int = 6

    with pytest.raises(TypeError, match="must be a @dataclass"):
        Forgotten.from_env("example", environ={})

"""Portfolio's own settings are read from the PORTFOLIO_* variables operators always set, with one
default each, whichever way a process builds them."""
from pathlib import Path

import pytest

from canopy_kit.settings import Settings, SettingsError
from portfolio.service import SERVICE
from portfolio.settings import PortfolioSettings


def test_the_defaults_need_no_configuration(tmp_path):
    settings = SERVICE.load_settings({"DATA_DIR": str(tmp_path)})
    assert isinstance(settings, PortfolioSettings)
    assert (settings.follow_up_weeks, settings.evidence_max_bytes) == (6, 10 * 1024 * 1024)
    assert settings.evidence_root == tmp_path / "evidence"


def test_each_is_read_from_its_portfolio_variable(tmp_path):
    env = {"DATA_DIR": str(tmp_path), "PORTFOLIO_FOLLOW_UP_WEEKS": "8", "PORTFOLIO_EVIDENCE_DIR": "/srv/evidence",
           "PORTFOLIO_EVIDENCE_MAX_BYTES": "2048", "FOLLOW_UP_WEEKS": "9"}  # another service's would not count
    for settings in (SERVICE.load_settings(env), PortfolioSettings.adopt(Settings.from_env("portfolio", env))):
        assert (settings.follow_up_weeks, settings.evidence_root, settings.evidence_max_bytes) == (
            8, Path("/srv/evidence"), 2048)


@pytest.mark.parametrize("name, raw", [("PORTFOLIO_FOLLOW_UP_WEEKS", "six"), ("PORTFOLIO_FOLLOW_UP_WEEKS", "0"),
                                       ("PORTFOLIO_EVIDENCE_MAX_BYTES", "0")])
def test_a_bad_value_stops_the_service_naming_its_variable(name, raw):
    with pytest.raises(SettingsError, match=name):
        SERVICE.load_settings({name: raw})

"""Every list of reporting's API shows exactly what its caller may open, for every kind of caller
(canopy_kit.testing.visibility). Reports are aggregates, not lists; the access log is its one list."""
from pathlib import Path

from canopy_kit.testing.visibility import assert_agree, check_service, projected
from reporting.service import SERVICE

DOCS = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"


def test_every_list_shows_exactly_what_its_caller_may_open(sqlite_url):
    report = check_service(*projected(SERVICE, sqlite_url), tables={}, rules={}, documented=DOCS.read_text())
    assert_agree(report, "/v1/me/access-log")

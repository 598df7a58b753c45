"""Every installed service, from its own OpenAPI document: each operation taking a body or
parameters is sent hand-made hostile input (JSON nested thousands deep, a lone surrogate, a NUL,
NaN and Infinity, integers beyond 64 bits or past their declared maximum, in every body field, query
parameter, form field and path segment), as a caller allowed everywhere. Each must be a 4xx with
the error body naming the field and must write nothing; PostgreSQL and SQLite answer alike
(``canopy_kit.web.inputs``, ``canopy_kit.testing.hostile``)."""
import uuid

import pytest

from canopy_contracts.events.identity import ROLES
from canopy_kit.service import Runtime, discover_services
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import TokenMinter
from canopy_kit.testing.hostile import hostile_input_problems
from canopy_kit.web.app import create_service_app

SERVICES = sorted(discover_services())


def _problems(name: str, database_url: str, data_dir) -> tuple[list[str], int]:
    minter, trust_id = TokenMinter(), str(uuid.uuid4())
    runtime = Runtime(minter.spec_with_keys(discover_services()[name]),
                      make_settings(name, database_url=database_url, data_dir=data_dir))
    try:
        prepare_database(runtime)
        client = create_service_app(runtime, testing=True).test_client()
        everything = [{"role": role, "scope": "trust", "id": trust_id} for role in ROLES]
        headers = {"Authorization": "Bearer " + minter.token(str(uuid.uuid4()), trust_id, everything)}
        return hostile_input_problems(client, runtime, headers)
    finally:
        runtime.dispose()


@pytest.mark.parametrize("name", SERVICES)
def test_no_hostile_input_reaches_a_view_on_sqlite(name, sqlite_url, tmp_path):
    problems, sent = _problems(name, sqlite_url, tmp_path)
    assert sent > 0 and problems == []


@pytest.mark.integration
@pytest.mark.parametrize("name", SERVICES)
def test_no_hostile_input_reaches_a_view_on_postgresql(name, postgres_url, tmp_path):
    problems, sent = _problems(name, postgres_url, tmp_path)
    assert sent > 0 and problems == []

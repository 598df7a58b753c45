from datetime import timedelta

import pytest
from sqlalchemy import select, update

from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import DirectoryBuilder, TokenMinter
from canopy_kit.web.app import create_service_app
from portfolio.tables import evaluations
from portfolio.service import SERVICE


class Portfolio:
    """The portfolio service on a database, with a directory and tokens for a small trust:
    Pia taught at Ash until August 2025, then moved to Birch; Cleo is Ash's CPD lead, Hal is
    Birch's head, Bo manages Pia at Birch, Vic is another teacher at Ash."""

    def __init__(self, database_url: str, data_dir):
        minter = TokenMinter()
        settings = make_settings("portfolio", database_url=database_url, data_dir=data_dir)
        self.runtime = Runtime(minter.spec_with_keys(SERVICE), settings)
        prepare_database(self.runtime)
        self.client = create_service_app(self.runtime, testing=True).test_client()
        from datetime import date

        d = self.directory = DirectoryBuilder(self.runtime, minter)
        self.ash, self.birch = d.school("Ash Primary"), d.school("Birch Academy", "secondary")
        self.pia = d.person("Pia", self.ash, ends_on=date(2025, 8, 31))
        d.employ(self.pia, self.birch, starts_on=date(2025, 9, 1))
        self.cleo = d.person("Cleo", self.ash, roles=("cpd_lead",))
        self.hal = d.person("Hal", self.birch, roles=("headteacher",))
        self.bo = d.person("Bo", self.birch)
        d.manage(self.bo, self.pia, self.birch, starts_on=date(2025, 9, 1))
        self.vic = d.person("Vic", self.ash)
        self.lead = d.person("Lou", None, roles=("trust_leader",))
        self.other_trust = DirectoryBuilder(self.runtime, minter)
        self.stranger = self.other_trust.person("Sam", self.other_trust.school("Elm"), roles=("cpd_lead",))

    def as_(self, person_id):
        builder = self.other_trust if person_id == self.stranger else self.directory
        return builder.headers(person_id)

    def get(self, who, path):
        return self.client.get(path, headers=self.as_(who))

    def post(self, who, path, body=None, **kwargs):
        return self.client.post(path, json=body, headers={**self.as_(who), **kwargs.pop("headers", {})}, **kwargs)

    def patch(self, who, path, body):
        return self.client.patch(path, json=body, headers=self.as_(who))

    def days_pass(self, days: int) -> None:
        """As if ``days`` went by: every evaluation falls due that much sooner."""
        with self.runtime.engine.begin() as conn:
            for row in conn.execute(select(evaluations.c.id, evaluations.c.due_on)).all():
                conn.execute(update(evaluations).where(evaluations.c.id == row.id)
                             .values(due_on=row.due_on - timedelta(days=days)))


@pytest.fixture
def portfolio(sqlite_url, tmp_path):
    service = Portfolio(sqlite_url, tmp_path)
    yield service
    service.runtime.dispose()


@pytest.fixture
def portfolio_pg(postgres_url, tmp_path):
    service = Portfolio(postgres_url, tmp_path)
    yield service
    service.runtime.dispose()


def activity(**changes):
    return {"title": "Reading fluency", "activity_type": "course", "delivery": "external", "provider": "Hub",
            "starts_on": "2025-03-10", "ends_on": "2025-03-10", "hours": 6, "cost": 120.50,
            "cover_needed": True, "linked_standards": ["TS3", "TS5"], **changes}


@pytest.fixture
def new_activity():
    return activity

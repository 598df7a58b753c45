"""Portfolio on a given database (``canopy_kit.testing.harness``), with a small trust put into its
directory projection the way production fills it: identity-shaped events through its inbox."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
from portfolio.service import SERVICE
from portfolio.tables import evaluations


class PortfolioCast(StaffDirectory):
    """Pia taught at Ash until August 2025, then moved to Birch; Cleo is Ash's CPD lead, Hal is
    Birch's head, Bo manages Pia at Birch, Vic is another teacher at Ash, Lou a trust leader; Sam
    is a CPD lead in another trust. ``get``/``post``/``patch`` call the API as one of them."""

    def __init__(self, harness: ServiceHarness):
        super().__init__(harness, "oak")
        self.client, self.runtime = harness.client, harness.runtime
        self.ash, self.birch = self.school("Ash Primary"), self.school("Birch Academy", "secondary")
        self.pia = self.person("Pia", self.ash, ends_on="2025-08-31")
        self.employ(self.pia, self.birch, starts_on="2025-09-01")
        self.cleo = self.person("Cleo", self.ash, role="cpd_lead")
        self.hal = self.person("Hal", self.birch, role="headteacher")
        self.bo = self.person("Bo", self.birch)
        self.manage(self.bo, self.pia, self.birch, starts_on="2025-09-01")
        self.vic = self.person("Vic", self.ash)
        self.lead = self.person("Lou", role="trust_leader")
        self.other_trust = StaffDirectory(harness, "elm")
        self.stranger = self.other_trust.person("Sam", self.other_trust.school("Elm"), role="cpd_lead")
        self.publish()
        self.other_trust.publish()

    def as_(self, person_id):
        return (self.other_trust if person_id in self.other_trust.grants else self).headers(person_id)

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
    harness = ServiceHarness(SERVICE, sqlite_url, data_dir=tmp_path)
    yield PortfolioCast(harness)
    harness.dispose()


@pytest.fixture
def portfolio_pg(postgres_url, tmp_path):
    harness = ServiceHarness(SERVICE, postgres_url, data_dir=tmp_path)
    yield PortfolioCast(harness)
    harness.dispose()


def activity(**changes):
    return {"title": "Reading fluency", "activity_type": "course", "delivery": "external", "provider": "Hub",
            "starts_on": "2025-03-10", "ends_on": "2025-03-10", "hours": 6, "cost": 120.50,
            "cover_needed": True, "linked_standards": ["TS3", "TS5"], **changes}


@pytest.fixture
def new_activity():
    return activity

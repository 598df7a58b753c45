"""Across services on the real broker and databases: identity's events build portfolio's
directory; a transfer in identity moves what each school sees of a portfolio, losing nothing; a
duplicate identity event changes nothing."""
from datetime import date

import pytest
from sqlalchemy import func, select

from canopy_kit.db.tables import dir_employments, inbox
from canopy_kit.testing import consume_until_idle, relay_all
from canopy_kit.web.app import create_service_app
from identity import commands, tokens
from identity.service import SERVICE as IDENTITY
from portfolio.service import SERVICE as PORTFOLIO

pytestmark = pytest.mark.integration


@pytest.fixture
def platform(services_on_the_bus):
    identity, portfolio = services_on_the_bus(IDENTITY, PORTFOLIO)
    return identity, portfolio, services_on_the_bus.minter


def _propagate(identity, portfolio):
    relay_all(identity)
    consume_until_idle(portfolio)


def test_transfer_in_identity_moves_portfolio_visibility(platform):
    identity, portfolio, minter = platform
    with identity.uow_factory() as uow:
        trust_id = commands.create_trust(uow, name="Oak", slug="oak")
        ash = commands.add_school(uow, trust_id=trust_id, name="Ash", phase="primary")
        birch = commands.add_school(uow, trust_id=trust_id, name="Birch", phase="secondary")
        pia = commands.register_person(uow, trust_id=trust_id, given_name="Pia", family_name="P", email="pia@oak.org")
        cleo = commands.register_person(uow, trust_id=trust_id, given_name="Cleo", family_name="C", email="c@oak.org")
        hal = commands.register_person(uow, trust_id=trust_id, given_name="Hal", family_name="H", email="h@oak.org")
        job = commands.start_employment(uow, trust_id=trust_id, person_id=pia, school_id=ash, job_title="Teacher",
                                        staff_category="teaching", starts_on=date(2024, 9, 1))
        for person, school, role in ((cleo, ash, "cpd_lead"), (hal, birch, "headteacher")):
            commands.start_employment(uow, trust_id=trust_id, person_id=person, school_id=school,
                                      job_title="Leader", staff_category="leadership", starts_on=date(2020, 9, 1))
            commands.grant_role(uow, trust_id=trust_id, person_id=person, role=role, scope_type="school",
                                scope_id=school, valid_from=date(2020, 9, 1))
        uow.commit()
    _propagate(identity, portfolio)
    client = create_service_app(portfolio, testing=True).test_client()

    def headers(person_id):
        with identity.uow_factory() as uow:
            grants = [g.to_claim() for g in tokens.current_grants(uow.session, person_id)]
        return {"Authorization": "Bearer " + minter.token(person_id, trust_id, grants)}

    body = {"title": "Phonics", "activity_type": "course", "delivery": "external", "starts_on": "2025-03-10",
            "ends_on": "2025-03-10", "hours": 3}
    spring = client.post(f"/v1/people/{pia}/activities", json=body, headers=headers(pia)).json["id"]

    def visible(who):
        response = client.get(f"/v1/people/{pia}/activities", headers=headers(who))
        return response.status_code, {a["id"] for a in response.json.get("items", [])}

    assert visible(cleo) == (200, {spring}) and visible(hal)[0] == 403

    with identity.uow_factory() as uow:
        commands.transfer(uow, trust_id=trust_id, person_id=pia, from_employment_id=job, to_school_id=birch,
                          effective_on=date(2025, 9, 1))
        uow.commit()
    _propagate(identity, portfolio)
    autumn = client.post(f"/v1/people/{pia}/activities", json={**body, "starts_on": "2025-10-01",
                                                              "ends_on": "2025-10-01"}, headers=headers(pia)).json["id"]
    assert visible(pia) == (200, {spring, autumn})  # nothing lost: the portfolio moved with her
    assert visible(cleo) == (200, {spring})  # Ash keeps its time only
    assert visible(hal) == (200, {autumn})

    # Every identity event again (a relay that died before marking them): no second effect.
    with portfolio.engine.connect() as conn:
        handled = conn.execute(select(func.count()).select_from(inbox)).scalar()
        employments = conn.execute(select(func.count()).select_from(dir_employments)).scalar()
    from canopy_kit.db.tables import outbox

    with identity.engine.begin() as conn:
        conn.execute(outbox.update().values(published_at=None))
    _propagate(identity, portfolio)
    with portfolio.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(inbox)).scalar() == handled
        assert conn.execute(select(func.count()).select_from(dir_employments)).scalar() == employments
    assert visible(cleo) == (200, {spring})

"""Across services on the real broker and databases: activities recorded in portfolio reach
reporting's dashboards, counted once even when every event is delivered again, and a school's
leader sees their own school only."""
from datetime import date

import pytest

from canopy_kit.db.tables import outbox
from canopy_kit.testing import consume_until_idle, relay_all
from canopy_kit.web.app import create_service_app
from identity import commands
from identity.service import SERVICE as IDENTITY
from portfolio.service import SERVICE as PORTFOLIO
from reporting.service import SERVICE as REPORTING

pytestmark = pytest.mark.integration

STAFF = 6


def test_cpd_recorded_in_portfolio_reaches_the_trust_dashboard_once(services_on_the_bus):
    identity, portfolio, reporting = services_on_the_bus(IDENTITY, PORTFOLIO, REPORTING)
    minter = services_on_the_bus.minter
    with identity.uow_factory() as uow:
        trust_id = commands.create_trust(uow, name="Oak", slug="oak")
        ash = commands.add_school(uow, trust_id=trust_id, name="Ash", phase="primary")
        staff = []
        for n in range(STAFF):
            person = commands.register_person(uow, trust_id=trust_id, given_name=f"T{n}", family_name="Teacher",
                                              email=f"t{n}@oak.org")
            commands.start_employment(uow, trust_id=trust_id, person_id=person, school_id=ash, job_title="Teacher",
                                      staff_category="teaching", starts_on=date(2024, 9, 1))
            staff.append(person)
        leader = commands.register_person(uow, trust_id=trust_id, given_name="Lena", family_name="L", email="l@oak.org")
        commands.grant_role(uow, trust_id=trust_id, person_id=leader, role="trust_leader", scope_type="trust",
                            scope_id=trust_id, valid_from=date(2020, 9, 1))
        uow.commit()

    def propagate():
        for producer in (identity, portfolio):
            relay_all(producer)
        for consumer in (portfolio, reporting):
            consume_until_idle(consumer)

    def token(person, grants=()):
        return {"Authorization": "Bearer " + minter.token(person, trust_id, list(grants))}

    propagate()
    recording = create_service_app(portfolio, testing=True).test_client()
    for person in staff:
        response = recording.post(f"/v1/people/{person}/activities", headers=token(person), json={
            "title": "Phonics", "activity_type": "course", "delivery": "external", "starts_on": "2025-10-06",
            "ends_on": "2025-10-06", "hours": 3, "cost": 40.00})
        assert response.status_code == 201, response.json
    propagate()

    reports = create_service_app(reporting, testing=True).test_client()
    as_leader = token(leader, [{"role": "trust_leader", "scope": "trust", "id": trust_id}])

    def ash_row():
        response = reports.get("/v1/reports/cpd", query_string={"year": 2025}, headers=as_leader)
        assert response.status_code == 200, response.json
        return next(row for row in response.json["rows"] if row["school_id"] == ash)

    row = ash_row()
    assert (row["people"], row["activities"], row["hours"], row["cost"]) == (STAFF, STAFF, 18.0, 240.0)
    assert row["school_name"] == "Ash"

    # Every event again, as a relay that died before marking them would send: counted once.
    for producer in (identity, portfolio):
        with producer.engine.begin() as conn:
            conn.execute(outbox.update().values(published_at=None))
    propagate()
    assert ash_row() == row

    teacher = reports.get("/v1/reports/cpd", query_string={"year": 2025}, headers=token(staff[0]))
    assert teacher.status_code == 403

"""Across services on the real broker and databases: an account disabled in identity is refused by
portfolio as soon as identity's event has reached portfolio's directory, although its access token
has not expired and portfolio had already accepted it; enabled again, it is let back in."""
from datetime import date

import pytest

from canopy_kit.testing import consume_until_idle, relay_all
from canopy_kit.web.app import create_service_app
from identity import commands, tokens
from identity.service import SERVICE as IDENTITY
from portfolio.service import SERVICE as PORTFOLIO

pytestmark = pytest.mark.integration


def test_a_disabled_account_is_refused_by_other_services_through_the_event(services_on_the_bus):
    identity, portfolio = services_on_the_bus(IDENTITY, PORTFOLIO)
    with identity.uow_factory() as uow:
        trust_id = commands.create_trust(uow, name="Oak", slug="oak")
        ash = commands.add_school(uow, trust_id=trust_id, name="Ash", phase="primary")
        pia = commands.register_person(uow, trust_id=trust_id, given_name="Pia", family_name="P", email="pia@oak.org")
        commands.start_employment(uow, trust_id=trust_id, person_id=pia, school_id=ash, job_title="Teacher",
                                  staff_category="teaching", starts_on=date(2024, 9, 1))
        uow.commit()

    def propagate():
        relay_all(identity)
        consume_until_idle(portfolio)

    def set_account(handler, **extra):
        with identity.uow_factory() as uow:
            handler(uow, trust_id=trust_id, person_id=pia, **extra)
            uow.commit()
        propagate()

    propagate()
    with identity.uow_factory() as uow:
        grants = [g.to_claim() for g in tokens.current_grants(uow.session, pia)]
    headers = {"Authorization": "Bearer " + services_on_the_bus.minter.token(pia, trust_id, grants)}
    client = create_service_app(portfolio, testing=True).test_client()
    assert client.get(f"/v1/people/{pia}/activities", headers=headers).status_code == 200

    set_account(commands.disable_account, reason="left the trust")
    refused = client.get(f"/v1/people/{pia}/activities", headers=headers)
    assert refused.status_code == 401 and refused.json["code"] == "account_disabled"

    set_account(commands.enable_account)
    assert client.get(f"/v1/people/{pia}/activities", headers=headers).status_code == 200

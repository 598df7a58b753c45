"""CPD requests' rules, without a database: dates, the deciding school, who decides, the states."""
from datetime import date

import pytest

from canopy_kit.errors import Conflict, Forbidden, Invalid
from portfolio.domain.requests import (
    CpdRequest, RoleAt, check_dates_asked, decide, decides_for, deciding_school, withdraw,
)

TODAY = date(2026, 3, 2)
ASH, BIRCH = "ash", "birch"
PENDING = CpdRequest("r1", person_id="pia", school_id=ASH, status="pending")
CPD_LEAD_AT_ASH = [RoleAt("cpd_lead", frozenset({ASH}))]


def test_a_request_is_asked_before_its_activity_with_its_dates_in_order():
    check_dates_asked(TODAY, TODAY, TODAY)  # asked on its first day: still ahead of it
    with pytest.raises(Invalid) as past:
        check_dates_asked(date(2026, 3, 1), date(2026, 3, 1), TODAY)
    assert past.value.errors == {"starts_on": ["must not be in the past: a request is made before the activity"]}
    with pytest.raises(Invalid) as backwards:
        check_dates_asked(date(2026, 4, 2), date(2026, 4, 1), TODAY)
    assert list(backwards.value.errors) == ["ends_on"]


def test_the_deciding_school_is_where_the_person_works_on_the_first_day():
    assert deciding_school({BIRCH, ASH}) == ASH  # in two schools: the first, always the same one
    assert deciding_school({ASH, BIRCH}, BIRCH) == BIRCH
    with pytest.raises(Invalid) as elsewhere:
        deciding_school({BIRCH}, ASH)
    assert list(elsewhere.value.errors) == ["school_id"]
    with pytest.raises(Invalid) as nowhere:
        deciding_school(set())
    assert nowhere.value.errors == {"starts_on": ["you work at no school of the trust on this day"]}


@pytest.mark.parametrize("roles, decides", [
    ([RoleAt("cpd_lead", frozenset({ASH}))], True),
    ([RoleAt("headteacher", frozenset({ASH, BIRCH}))], True),  # a group's head
    ([RoleAt("headteacher")], True),  # at trust scope
    ([RoleAt("cpd_lead", frozenset({BIRCH}))], False),  # another school's lead
    ([RoleAt("trust_leader"), RoleAt("coach", frozenset({ASH}))], False),  # not a deciding role
    ([], False),
])
def test_who_decides_a_schools_requests(roles, decides):
    assert decides_for(roles, ASH) is decides


def test_a_pending_request_is_approved_or_declined_by_a_decider_of_its_school():
    assert decide(PENDING, "approved", decider_id="cleo", decider_roles=CPD_LEAD_AT_ASH) == "approved"
    assert decide(PENDING, "declined", decider_id="cleo", decider_roles=CPD_LEAD_AT_ASH) == "declined"
    with pytest.raises(Invalid):
        decide(PENDING, "maybe", decider_id="cleo", decider_roles=CPD_LEAD_AT_ASH)


def test_no_one_decides_a_request_of_another_school_or_their_own():
    with pytest.raises(Forbidden) as elsewhere:
        decide(PENDING, "approved", decider_id="hal", decider_roles=[RoleAt("headteacher", frozenset({BIRCH}))])
    assert elsewhere.value.errors == {}
    with pytest.raises(Forbidden) as own:
        decide(PENDING, "approved", decider_id="pia", decider_roles=CPD_LEAD_AT_ASH)
    assert "own request" in own.value.message and own.value.errors == {"request_id": ["r1"]}


@pytest.mark.parametrize("status", ["approved", "declined", "withdrawn"])
def test_a_request_is_decided_once(status):
    with pytest.raises(Conflict) as again:
        decide(CpdRequest("r1", "pia", ASH, status), "approved", decider_id="cleo", decider_roles=CPD_LEAD_AT_ASH)
    assert again.value.errors == {"request_id": ["r1"]}


def test_who_may_decide_is_asked_before_whether_it_is_still_pending():
    decided = CpdRequest("r1", "pia", ASH, "approved")
    with pytest.raises(Forbidden):  # a stranger learns nothing about the request's state
        decide(decided, "declined", decider_id="hal", decider_roles=[RoleAt("headteacher", frozenset({BIRCH}))])


def test_only_the_requester_withdraws_and_only_while_pending():
    assert withdraw(PENDING, "pia") == "withdrawn"
    with pytest.raises(Forbidden):
        withdraw(PENDING, "cleo")
    for status in ("approved", "declined", "withdrawn"):
        with pytest.raises(Conflict, match="only a pending request"):
            withdraw(CpdRequest("r1", "pia", ASH, status), "pia")

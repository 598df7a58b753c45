"""Which role may be held at which scope, for which dates, and who grants it: plain rules."""
from datetime import date

import pytest

from canopy_contracts.events.identity import ROLES
from canopy_kit.errors import Conflict, Invalid
from identity.domain.roles import (
    SCHOOL_GRANTED_ROLES, TRUST_ADMIN_GRANTS, check_end, check_new_grant, check_scope, granted_by_the_school,
)

TRUST = "trust-oak"


def _scope_refusal(role, scope_type, scope_id) -> str:
    with pytest.raises(Invalid) as refused:
        check_scope(trust_id=TRUST, role=role, scope_type=scope_type, scope_id=scope_id)
    [field] = refused.value.errors
    return field


def test_school_and_group_roles_and_trust_roles_at_the_trust_are_allowed():
    check_scope(trust_id=TRUST, role="coach", scope_type="school", scope_id="school-ash")
    check_scope(trust_id=TRUST, role="headteacher", scope_type="group", scope_id="group-hub")
    check_scope(trust_id=TRUST, role="trust_leader", scope_type="trust", scope_id=TRUST)


def test_unknown_roles_and_scopes_are_refused_naming_the_field():
    assert _scope_refusal("overlord", "school", "school-ash") == "role"
    assert _scope_refusal("coach", "county", "x") == "scope_type"


@pytest.mark.parametrize("role", ["trust_admin", "trust_leader"])
def test_trust_roles_are_held_at_the_trust_only(role):
    assert _scope_refusal(role, "school", "school-ash") == "scope_type"
    assert _scope_refusal(role, "group", "group-hub") == "scope_type"


def test_a_trust_scope_is_the_callers_own_trust():
    assert _scope_refusal("trust_admin", "trust", "trust-elm") == "scope_id"


def test_a_grant_ends_on_or_after_it_starts_and_is_not_held_twice():
    check_new_grant(valid_from=date(2025, 9, 1), valid_to=date(2025, 9, 1), already_held=False)
    check_new_grant(valid_from=date(2025, 9, 1), valid_to=None, already_held=False)
    with pytest.raises(Invalid) as refused:
        check_new_grant(valid_from=date(2025, 9, 1), valid_to=date(2025, 8, 31), already_held=True)
    assert list(refused.value.errors) == ["valid_to"]  # the dates first: they make "held" meaningless
    with pytest.raises(Conflict) as refused:
        check_new_grant(valid_from=date(2025, 9, 1), valid_to=None, already_held=True)
    assert list(refused.value.errors) == ["role"]


def test_ending_a_grant_earlier_is_a_correction_ending_it_later_a_conflict():
    check_end(valid_from=date(2024, 9, 1), valid_to=date(2025, 8, 31), ends_on=date(2025, 7, 31))
    with pytest.raises(Conflict):
        check_end(valid_from=date(2024, 9, 1), valid_to=date(2025, 8, 31), ends_on=date(2025, 12, 31))
    with pytest.raises(Invalid):
        check_end(valid_from=date(2024, 9, 1), valid_to=None, ends_on=date(2024, 8, 31))


def test_only_a_trust_admin_grants_what_reaches_beyond_one_school():
    assert granted_by_the_school("coach", "school")
    assert not granted_by_the_school("headteacher", "school")
    assert not granted_by_the_school("coach", "group")
    assert not granted_by_the_school("trust_leader", "trust")


def test_a_staff_file_grants_exactly_the_roles_a_school_hands_out():
    assert set(SCHOOL_GRANTED_ROLES) == set(ROLES) - TRUST_ADMIN_GRANTS
    assert "teacher" in SCHOOL_GRANTED_ROLES and "headteacher" not in SCHOOL_GRANTED_ROLES

"""Employments and the trust's structure: plain rules about dates, FTE, slugs and URNs."""
from datetime import date
from decimal import Decimal

import pytest

from canopy_kit.errors import Conflict, Invalid
from identity.domain.employments import check_end, check_new_employment, ends_the_account
from identity.domain.periods import running_on
from identity.domain.structure import school_urn, trust_slug

SEPT, JULY = date(2025, 9, 1), date(2026, 7, 31)


def _start(**changes):
    return check_new_employment(**{"school_status": "open", "starts_on": SEPT, "ends_on": None, "fte": 1, **changes})


def test_the_fte_is_kept_to_three_places():
    assert _start(fte=0.6) == Decimal("0.600")
    assert _start(fte=Decimal("0.3333")) == Decimal("0.333")
    assert _start(fte=1) == Decimal("1.000")


@pytest.mark.parametrize("changes, field", [
    ({"school_status": "closed"}, "school_id"),
    ({"ends_on": date(2025, 8, 31)}, "ends_on"),
    ({"fte": 0}, "fte"),
    ({"fte": 0.0004}, "fte"),  # rounds to nothing
    ({"fte": 1.2}, "fte"),
])
def test_an_employment_that_could_not_be_worked_is_refused_naming_the_field(changes, field):
    with pytest.raises(Invalid) as refused:
        _start(**changes)
    assert list(refused.value.errors) == [field]


def test_a_one_day_employment_is_fine():
    _start(ends_on=SEPT)


def test_an_employment_ends_on_or_after_its_start_and_only_earlier_than_it_already_ended():
    check_end(starts_on=SEPT, ended_on=None, ends_on=SEPT)
    check_end(starts_on=SEPT, ended_on=JULY, ends_on=date(2026, 3, 31))
    with pytest.raises(Invalid):
        check_end(starts_on=SEPT, ended_on=None, ends_on=date(2025, 8, 31))
    with pytest.raises(Conflict) as refused:
        check_end(starts_on=SEPT, ended_on=JULY, ends_on=JULY)
    assert "2026-07-31" in refused.value.message


def test_the_account_ends_with_the_last_employment_once_its_day_has_come():
    assert ends_the_account(ends_on=JULY, today=JULY, still_engaged=False)
    assert not ends_the_account(ends_on=JULY, today=date(2026, 7, 30), still_engaged=False)
    assert not ends_the_account(ends_on=JULY, today=JULY, still_engaged=True)


def test_a_period_runs_from_its_first_to_its_last_day_and_an_empty_one_never():
    assert running_on(SEPT, None, date(2030, 1, 1)) and running_on(SEPT, JULY, JULY)
    assert not running_on(SEPT, JULY, date(2026, 8, 1)) and not running_on(SEPT, None, date(2025, 8, 31))
    assert not running_on(SEPT, date(2025, 8, 31), SEPT)


def test_a_trust_slug_is_stored_lower_case_and_kept_short_and_plain():
    assert trust_slug("  Oak-Trust ") == "oak-trust"
    for slug in ("ab", "-oak", "oak-", "oak trust", "o" * 65, "oak_trust"):
        with pytest.raises(Invalid) as refused:
            trust_slug(slug)
        assert list(refused.value.errors) == ["slug"]


def test_a_blank_urn_is_no_urn():
    assert school_urn(" 141538 ") == "141538"
    assert school_urn("   ") is None and school_urn(None) is None

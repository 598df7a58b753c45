"""The staff import's checks against the trust and within the file, on a hand-made trust."""
from datetime import date
from decimal import Decimal

from identity.domain.staff_import import StaffRow, TrustState, check, manager_start

TODAY = date(2025, 11, 1)


def _row(line, email, urn="100001", manager=None, starts_on=date(2025, 9, 1), given="Tom"):
    return StaffRow(line=line, email=email, given_name=given, family_name="Test", preferred_name=None,
                    school_urn=urn, job_title="Teacher", staff_category="teaching", fte=Decimal("1.000"),
                    starts_on=starts_on, ends_on=None, roles=(), line_manager_email=manager)


def _trust(**changes) -> TrustState:
    state = {"schools_by_urn": {"100001": ("ash", "open"), "100002": ("birch", "closed")},
             "people_by_email": {"hana@oak.org": {"id": "hana", "email": "hana@oak.org"},
                                 "lena@oak.org": {"id": "lena", "email": "lena@oak.org"}},
             "employments": {}, "grants": set(), "managers": {}, "employed_at": {("hana", "ash")},
             "trust_managers": {"lena"}}
    return TrustState(**{**state, **changes})


def _problems(rows, state=None):
    return sorted((p.line, p.field) for p in check(rows, state or _trust()).problems)


def test_a_clean_file_has_no_problems_and_keeps_every_row():
    rows = [_row(2, "tom@oak.org", manager="hana@oak.org"), _row(3, "cara@oak.org", manager="tom@oak.org"),
            _row(4, "bea@oak.org", manager="lena@oak.org")]  # lena manages anywhere: a trust leader
    plan = check(rows, _trust())
    assert plan.problems == [] and [r.line for r in plan.rows] == [2, 3, 4]


def test_the_same_employment_twice_and_two_names_for_one_email_are_named_by_line():
    rows = [_row(2, "tom@oak.org"), _row(3, "tom@oak.org"), _row(4, "tom@oak.org", starts_on=date(2024, 9, 1),
                                                                   given="Thomas")]
    assert _problems(rows) == [(3, "email"), (4, "given_name")]


def test_a_school_must_exist_be_open_and_have_its_urn_to_itself():
    state = _trust(shared_urns={"100003": ["Ash", "Elm"]})
    rows = [_row(2, "a@oak.org", urn="999999"), _row(3, "b@oak.org", urn="100002"), _row(4, "c@oak.org", urn="100003")]
    assert _problems(rows, state) == [(2, "school_urn"), (3, "school_urn"), (4, "school_urn")]


def test_a_line_manager_is_in_the_file_or_the_trust_and_works_at_the_school():
    state = _trust(people_by_email={"hana@oak.org": {"id": "hana", "email": "hana@oak.org"},
                                    "omar@oak.org": {"id": "omar", "email": "omar@oak.org"}})
    rows = [_row(2, "tom@oak.org", manager="nobody@oak.org"), _row(3, "cara@oak.org", manager="omar@oak.org"),
            _row(4, "bea@oak.org", manager="hana@oak.org")]
    assert _problems(rows, state) == [(2, "line_manager_email"), (3, "line_manager_email")]


def test_a_circle_of_line_managers_is_refused_on_each_of_its_rows():
    rows = [_row(2, "tom@oak.org", manager="cara@oak.org"), _row(3, "cara@oak.org", manager="bea@oak.org"),
            _row(4, "bea@oak.org", manager="tom@oak.org"), _row(5, "dev@oak.org", manager="tom@oak.org")]
    plan = check(rows, _trust())
    assert sorted(p.line for p in plan.problems) == [2, 3, 4]
    assert [r.line for r in plan.rows] == [5]


def test_a_circle_through_the_trusts_own_line_management_is_refused_too():
    state = _trust(managers={("hana", "ash"): {"manager_id": "tom-id"}},
                   people_by_email={"hana@oak.org": {"id": "hana", "email": "hana@oak.org"},
                                    "tom@oak.org": {"id": "tom-id", "email": "tom@oak.org"}},
                   employed_at={("hana", "ash"), ("tom-id", "ash")})
    assert _problems([_row(2, "tom@oak.org", manager="hana@oak.org")], state) == [(2, "line_manager_email")]


def test_line_management_from_a_file_starts_today_or_with_a_later_employment():
    assert manager_start(_row(2, "tom@oak.org", starts_on=date(2024, 9, 1)), TODAY) == TODAY
    assert manager_start(_row(2, "tom@oak.org", starts_on=date(2026, 1, 5)), TODAY) == date(2026, 1, 5)

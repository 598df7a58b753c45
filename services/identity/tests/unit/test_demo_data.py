"""Unit tests for the demo trust data (pure data, no database)."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict

import pytest

from identity.demo_data import (
    PRIMARY_PHASES,
    ROLES,
    SECONDARY_DEPARTMENTS,
    DemoPerson,
    DemoRole,
    DemoTrust,
    build_demo_trust,
    summary,
)

# Structural rules must hold for any seed, not just the default one.
SEEDS = (2026, 1, 42, 987654321)

CEO_TITLE = "Chief Executive Officer"
EMAIL_PATTERN = re.compile(r"^[a-z0-9]+(?:[.\-][a-z0-9]+)*@[a-z0-9]+(?:[.\-][a-z0-9]+)*\.[a-z]{2,}$")


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def trust(request) -> DemoTrust:
    return build_demo_trust(request.param)


# -- helpers ----------------------------------------------------------------

def people_by_key(trust: DemoTrust) -> dict[str, DemoPerson]:
    return {p.key: p for p in trust.people}


def staff_at(trust: DemoTrust, school_key: str | None) -> list[DemoPerson]:
    return [p for p in trust.people if p.school_key == school_key]


def role_names(person: DemoPerson) -> set[str]:
    return {r.role for r in person.roles}


def holders(trust: DemoTrust, role: str, school_key: str | None) -> list[DemoPerson]:
    return [p for p in trust.people
            if any(r.role == role and r.school_key == school_key for r in p.roles)]


def direct_reports(trust: DemoTrust) -> dict[str, list[DemoPerson]]:
    reports: dict[str, list[DemoPerson]] = defaultdict(list)
    for person in trust.people:
        if person.line_manager_key:
            reports[person.line_manager_key].append(person)
    return reports


def the_ceo(trust: DemoTrust) -> DemoPerson:
    (ceo,) = [p for p in trust.people if p.job_title == CEO_TITLE]
    return ceo


def full_names(trust: DemoTrust) -> list[tuple[str, str]]:
    return [(p.given_name, p.family_name) for p in trust.people]


# -- determinism ------------------------------------------------------------

def test_same_seed_gives_identical_trust():
    assert build_demo_trust(7) == build_demo_trust(7)
    assert build_demo_trust() == build_demo_trust(2026)


def test_different_seed_gives_different_names():
    assert full_names(build_demo_trust(2026)) != full_names(build_demo_trust(2027))


def test_global_random_state_is_neither_used_nor_changed(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the global random generator must not be used")

    state_before = random.getstate()
    for name in ("random", "choice", "choices", "sample", "shuffle", "randint", "uniform"):
        monkeypatch.setattr(random, name, refuse)
    build_demo_trust(3)
    assert random.getstate() == state_before


def test_result_is_immutable(trust):
    with pytest.raises(AttributeError):
        trust.people[0].job_title = "Changed"  # type: ignore[misc]
    assert isinstance(trust.schools, tuple)
    assert isinstance(trust.people, tuple)
    assert all(isinstance(p.roles, tuple) for p in trust.people)


# -- schools ----------------------------------------------------------------

def test_five_primary_and_six_secondary_schools(trust):
    phases = Counter(s.phase for s in trust.schools)
    assert len(trust.schools) == 11
    assert phases == {"primary": 5, "secondary": 6}


def test_school_keys_names_and_urns_are_unique_and_well_formed(trust):
    for field in ("key", "name", "urn"):
        values = [getattr(s, field) for s in trust.schools]
        assert len(set(values)) == len(values), field
    for school in trust.schools:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", school.key)
        assert re.fullmatch(r"\d{6}", school.urn)
        assert school.name.strip() == school.name and school.name


def test_school_sizes_fit_their_phase(trust):
    for school in trust.schools:
        size = len(staff_at(trust, school.key))
        if school.phase == "primary":
            assert 25 <= size <= 45, (school.key, size)
        else:
            assert 70 <= size <= 110, (school.key, size)


def test_total_staff_is_about_seven_hundred(trust):
    assert 650 <= len(trust.people) <= 750


def test_trust_identity():
    trust = build_demo_trust()
    assert trust.name == "Brightpath Learning Trust"
    assert trust.slug == "brightpath"


# -- central team -----------------------------------------------------------

def test_central_team_is_small_and_has_the_expected_posts(trust):
    central = staff_at(trust, None)
    titles = {p.job_title for p in central}
    assert 4 <= len(central) <= 8
    assert {CEO_TITLE, "School Improvement Partner", "HR Lead", "Trust Administrator"} <= titles
    assert "trust_leader" in role_names(the_ceo(trust))
    (partner,) = [p for p in central if p.job_title == "School Improvement Partner"]
    assert "trust_leader" in role_names(partner)


def test_central_team_holds_only_trust_scope_roles(trust):
    for person in staff_at(trust, None):
        assert person.roles, person.key
        assert all(r.scope == "trust" and r.school_key is None for r in person.roles)


def test_ceo_has_no_manager_and_manages_the_rest_of_the_central_team(trust):
    ceo = the_ceo(trust)
    assert ceo.line_manager_key is None
    for person in staff_at(trust, None):
        if person != ceo:
            assert person.line_manager_key == ceo.key


def test_admin_key_is_a_central_trust_admin(trust):
    admin = people_by_key(trust)[trust.admin_key]
    assert admin.school_key is None
    assert DemoRole(role="trust_admin", scope="trust", school_key=None) in admin.roles


# -- school staffing --------------------------------------------------------

def test_each_school_has_exactly_one_headteacher_reporting_to_the_ceo(trust):
    ceo = the_ceo(trust)
    for school in trust.schools:
        (head,) = holders(trust, "headteacher", school.key)
        assert head.school_key == school.key
        assert head.job_title == "Headteacher"
        assert head.staff_category == "leadership"
        assert head.line_manager_key == ceo.key
    assert len([p for p in trust.people if "headteacher" in role_names(p)]) == 11


def test_each_school_has_deputy_or_assistant_heads_in_leadership(trust):
    for school in trust.schools:
        seniors = [p for p in staff_at(trust, school.key)
                   if p.job_title.startswith(("Deputy Headteacher", "Assistant Headteacher"))]
        assert seniors, school.key
        assert all(p.staff_category == "leadership" for p in seniors)


def test_secondaries_teach_the_named_subjects_under_heads_of_department(trust):
    expected_subjects = {"English", "Mathematics", "Science", "History", "Geography", "French",
                         "Spanish", "Computing", "Art", "Music", "Physical Education",
                         "Religious Education", "Design and Technology"}
    for school in trust.schools:
        if school.phase != "secondary":
            continue
        titles = {p.job_title for p in staff_at(trust, school.key)}
        taught = {t.removeprefix("Teacher of ") for t in titles if t.startswith("Teacher of ")}
        assert expected_subjects <= taught, school.key
        assert {d.head_title for d in SECONDARY_DEPARTMENTS} <= titles


def test_subject_teachers_report_to_their_head_of_department(trust):
    head_title_for = {subject: d.head_title
                      for d in SECONDARY_DEPARTMENTS for subject, _ in d.subjects}
    everyone = people_by_key(trust)
    teachers = [p for p in trust.people if p.job_title.startswith("Teacher of ")]
    assert teachers
    for teacher in teachers:
        manager = everyone[teacher.line_manager_key]
        assert manager.job_title == head_title_for[teacher.job_title.removeprefix("Teacher of ")]
        assert manager.school_key == teacher.school_key


def test_primaries_have_class_teachers_for_every_year_group(trust):
    for school in trust.schools:
        if school.phase != "primary":
            continue
        titles = [p.job_title for p in staff_at(trust, school.key)]
        for phase in PRIMARY_PHASES:
            for year in phase.year_groups:
                assert any(t.endswith(f"{year} Teacher") for t in titles), (school.key, year)


def test_primary_class_teachers_report_to_their_phase_leader(trust):
    phase_of_year = {year: phase for phase in PRIMARY_PHASES for year in phase.year_groups}
    everyone = people_by_key(trust)
    for school in trust.schools:
        if school.phase != "primary":
            continue
        staff = staff_at(trust, school.key)
        leaders = [p for p in staff if "Phase Leader" in p.job_title]
        assert len(leaders) == len(PRIMARY_PHASES)
        for teacher in staff:
            year = teacher.job_title.removesuffix(" Teacher")
            if teacher.job_title.endswith(" Teacher") and year in phase_of_year:
                manager = everyone[teacher.line_manager_key]
                assert manager.job_title.startswith(phase_of_year[year].leader_title)
        for leader in leaders:
            assert everyone[leader.line_manager_key].staff_category == "leadership"


def test_every_school_has_a_senco_and_the_usual_support_staff(trust):
    for school in trust.schools:
        titles = {p.job_title for p in staff_at(trust, school.key)}
        assert "SENCO" in titles
        assert titles & {"Teaching Assistant", "Early Years Practitioner"}
        assert "Learning Support Assistant" in titles
        assert {"School Business Manager", "Office Manager", "Site Manager",
                "IT Technician"} <= titles


def test_one_school_admin_per_school_from_the_support_staff(trust):
    for school in trust.schools:
        (admin,) = holders(trust, "school_admin", school.key)
        assert admin.school_key == school.key
        assert admin.staff_category == "support"


def test_one_cpd_lead_per_school_from_the_senior_leaders(trust):
    for school in trust.schools:
        (lead,) = holders(trust, "cpd_lead", school.key)
        assert lead.school_key == school.key
        assert lead.staff_category == "leadership"
        assert "headteacher" not in role_names(lead)


def test_a_few_coaches_per_school_from_the_teaching_staff(trust):
    for school in trust.schools:
        coaches = holders(trust, "coach", school.key)
        assert 2 <= len(coaches) <= 4, school.key
        assert all(c.school_key == school.key and "teacher" in role_names(c) for c in coaches)


# -- roles ------------------------------------------------------------------

def test_roles_come_from_the_known_list_with_consistent_scope(trust):
    for person in trust.people:
        assert len(set(person.roles)) == len(person.roles), person.key
        for role in person.roles:
            assert role.role in ROLES
            if role.scope == "school":
                assert role.school_key == person.school_key is not None
            else:
                assert role.scope == "trust"
                assert role.school_key is None
                assert person.school_key is None


def test_teaching_and_leadership_staff_teach_and_support_staff_support(trust):
    for person in trust.people:
        if person.school_key is None:
            continue
        names = role_names(person)
        if person.staff_category == "support":
            assert "support_staff" in names and "teacher" not in names, person.key
        else:
            assert "teacher" in names and "support_staff" not in names, person.key


def test_line_manager_role_is_held_exactly_by_those_who_manage(trust):
    managers = set(direct_reports(trust))
    for person in trust.people:
        has_role = [r for r in person.roles if r.role == "line_manager"]
        if person.key in managers:
            assert len(has_role) == 1, person.key
            expected_scope = "school" if person.school_key else "trust"
            assert has_role[0].scope == expected_scope
            assert has_role[0].school_key == person.school_key
        else:
            assert not has_role, person.key


def test_staff_categories_are_known(trust):
    assert {p.staff_category for p in trust.people} == {"teaching", "support", "leadership"}


# -- line management --------------------------------------------------------

def test_everyone_but_the_ceo_has_an_existing_line_manager(trust):
    everyone = people_by_key(trust)
    ceo = the_ceo(trust)
    for person in trust.people:
        if person == ceo:
            continue
        assert person.line_manager_key in everyone, person.key
        assert person.line_manager_key != person.key


def test_line_managers_work_in_the_same_school(trust):
    everyone = people_by_key(trust)
    ceo = the_ceo(trust)
    for person in trust.people:
        if person.line_manager_key is None:
            continue
        manager = everyone[person.line_manager_key]
        if "headteacher" in role_names(person):
            assert manager == ceo
        else:
            assert manager.school_key == person.school_key, person.key


def test_line_management_has_no_cycles(trust):
    everyone = people_by_key(trust)
    ceo = the_ceo(trust)
    for person in trust.people:
        seen = set()
        current = person
        while current.line_manager_key is not None:
            assert current.key not in seen, f"cycle through {current.key}"
            seen.add(current.key)
            current = everyone[current.line_manager_key]
        assert current == ceo


def test_nobody_in_a_school_manages_more_than_ten_people(trust):
    # The CEO line-manages all eleven headteachers plus the central team, so
    # the limit applies to everyone else.
    ceo = the_ceo(trust)
    for manager_key, reports in direct_reports(trust).items():
        if manager_key != ceo.key:
            assert len(reports) <= 10, (manager_key, len(reports))


def test_line_managers_are_leaders_or_senior_staff(trust):
    everyone = people_by_key(trust)
    senior_support_posts = {"School Business Manager", "Office Manager", "Site Manager",
                            "Network Manager"}
    for manager_key, reports in direct_reports(trust).items():
        manager = everyone[manager_key]
        title = manager.job_title
        assert (manager.staff_category == "leadership"
                or title.startswith("Head of ")
                or "Phase Leader" in title
                or title == "SENCO"
                or title in senior_support_posts), title
        if manager.staff_category == "support":
            # Teachers are never line-managed by support staff.
            assert all(r.staff_category == "support" for r in reports), title


def test_ordinary_class_and_subject_teachers_and_assistants_manage_nobody(trust):
    everyone = people_by_key(trust)
    for manager_key in direct_reports(trust):
        title = everyone[manager_key].job_title
        assert not title.startswith("Teacher of ")
        assert not re.fullmatch(r"(Reception|Year \d) Teacher", title)
        assert title not in {"Teaching Assistant", "Learning Support Assistant"}


# -- people -----------------------------------------------------------------

def test_person_keys_are_unique_and_stable(trust):
    keys = [p.key for p in trust.people]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"p\d{4}", k) for k in keys)
    assert keys[0] == "p0001"


def test_emails_are_unique_lower_case_and_valid(trust):
    emails = [p.email for p in trust.people]
    assert len({e.lower() for e in emails}) == len(emails)
    for email in emails:
        assert email == email.lower()
        assert EMAIL_PATTERN.fullmatch(email), email
        assert email.endswith("@brightpath.example.org")


def test_names_are_plausible(trust):
    for person in trust.people:
        for name in (person.given_name, person.family_name):
            assert name and name == name.strip()
            assert name[0].isupper(), name
            assert all(ch.isalpha() or ch in "'- " for ch in name), name
        assert person.given_name != person.family_name
        assert person.job_title and person.job_title == person.job_title.strip()


def test_names_are_varied(trust):
    families = Counter(p.family_name for p in trust.people)
    givens = Counter(p.given_name for p in trust.people)
    assert len(families) >= 150
    assert len(givens) >= 150
    # No single family name dominates the trust.
    assert families.most_common(1)[0][1] <= 25


# -- summary ----------------------------------------------------------------

def test_summary_counts_match_the_data(trust):
    counts = summary(trust)
    assert counts["schools"] == 11
    assert counts["schools_by_phase"] == {"primary": 5, "secondary": 6}
    assert counts["people"] == len(trust.people)
    assert counts["central_team"] == len(staff_at(trust, None))
    assert sum(counts["people_per_school"].values()) + counts["central_team"] == len(trust.people)
    assert counts["people_per_school"] == {s.key: len(staff_at(trust, s.key))
                                           for s in trust.schools}
    assert sum(counts["people_by_staff_category"].values()) == len(trust.people)
    assert set(counts["role_counts"]) == set(ROLES)
    assert counts["role_counts"]["headteacher"] == 11
    assert counts["role_counts"]["school_admin"] == 11
    assert counts["role_counts"]["cpd_lead"] == 11
    assert counts["role_counts"]["line_manager"] == len(direct_reports(trust))

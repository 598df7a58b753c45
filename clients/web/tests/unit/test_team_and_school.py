"""The team and school areas' own logic, without a server: who a row of My team is, and which
schools (and roles there) a leader's token opens."""
from datetime import date

from canopy_kit.auth.principal import Grant, Principal
from canopy_web.pages.school import roles_at, school_row, schools_led, staff_filters
from canopy_web.pages.team import ID, appraisee_row, current_jobs, managed_since, runs_on, safe_link

TODAY = date(2026, 12, 1)
ME = "manager-1"


def test_a_period_runs_on_its_first_and_last_day_and_open_ones_run_on():
    assert runs_on("2026-12-01", "2026-12-01", TODAY)
    assert runs_on("2016-09-01", None, TODAY)
    assert not runs_on("2026-12-02", None, TODAY)
    assert not runs_on("2020-09-01", "2026-11-30", TODAY)
    assert not runs_on(None, None, TODAY)


def _person(**changes):
    person = {
        "id": "p-1", "given_name": "Jack", "family_name": "Walker", "preferred_name": None,
        "employments": [
            {"school_id": "ash", "school_name": "Ash Primary", "job_title": "Teacher", "starts_on": "2016-09-01",
             "ends_on": "2025-08-31"},
            {"school_id": "oak", "school_name": "Oak Primary", "job_title": "Music Teacher", "starts_on": "2024-09-01",
             "ends_on": None},
            {"school_id": "birch", "school_name": "Birch Academy", "job_title": "Reception Teacher",
             "starts_on": "2025-09-01", "ends_on": None},
        ],
        "line_managers": [
            {"manager_id": ME, "school_id": "ash", "starts_on": "2020-09-01", "ends_on": "2025-08-31"},
            {"manager_id": ME, "school_id": "birch", "starts_on": "2025-09-01", "ends_on": None},
            {"manager_id": "someone-else", "school_id": "oak", "starts_on": "2024-09-01", "ends_on": None},
        ],
    }
    return {**person, **changes}


def test_managed_since_is_the_running_assignment_of_this_manager_only():
    since, schools = managed_since(_person(), ME, TODAY)
    assert since == date(2025, 9, 1) and schools == {"birch"}  # the ended one at Ash no longer counts
    assert managed_since(_person(), "nobody", TODAY) == (None, set())


def test_a_row_of_my_team_lists_todays_jobs_those_i_manage_first():
    row = appraisee_row(_person(), ME, TODAY)
    assert row["name"] == "Jack Walker" and row["since"] == date(2025, 9, 1)
    assert [job["school_name"] for job in row["jobs"]] == ["Birch Academy", "Oak Primary"]
    assert [job["job_title"] for job in current_jobs(_person()["employments"], date(2025, 1, 1))] == [
        "Teacher", "Music Teacher"]


def test_only_web_addresses_become_links():
    assert safe_link("https://example.org/a") == "https://example.org/a"
    assert safe_link("HTTP://example.org") == "HTTP://example.org"
    assert safe_link("javascript:alert(1)") is None
    assert safe_link(None) is None


def test_ids_in_paths_are_plain():
    assert ID.fullmatch("3fb9540f-05bf-48b9-bb7b-eac77ca2aa1b")
    assert not ID.fullmatch("..") and not ID.fullmatch("a/b") and not ID.fullmatch("a?b=c") and not ID.fullmatch("")


def _principal(*grants):
    return Principal(person_id=ME, trust_id="trust-1", grants=tuple(grants))


def test_the_schools_a_leader_leads_in_the_order_given():
    schools = ["ash", "birch", "cedar", "oak"]
    head_of_two = _principal(Grant("headteacher", "school", "oak"), Grant("school_admin", "school", "ash"),
                             Grant("teacher", "school", "birch"))
    assert schools_led(head_of_two, schools) == ["ash", "oak"]
    hub_leader = _principal(Grant("senior_leader", "group", "hub", schools=("birch", "cedar")))
    assert schools_led(hub_leader, schools) == ["birch", "cedar"]
    assert schools_led(_principal(Grant("line_manager", "school", "ash"), Grant("cpd_lead", "school", "ash")),
                       schools) == []
    assert schools_led(_principal(Grant("headteacher", "trust", "trust-1")), schools) == schools
    assert schools_led(_principal(Grant("headteacher", "trust", "another-trust")), schools) == []


def test_roles_at_a_school_decide_which_parts_of_my_school_are_offered():
    principal = _principal(Grant("school_admin", "school", "ash"), Grant("cpd_lead", "school", "ash"),
                           Grant("headteacher", "school", "oak"))
    assert roles_at(principal, "ash") == {"school_admin", "cpd_lead"}
    assert roles_at(principal, "oak") == {"headteacher"}
    assert roles_at(principal, "birch") == set()


def test_staff_filters_leave_out_blanks():
    assert staff_filters({"q": "  walk ", "staff_category": ""}) == {"q": "walk"}
    assert staff_filters({"staff_category": "support"}) == {"staff_category": "support"}
    assert staff_filters({}) == {}


def test_the_schools_own_row_of_a_report():
    report = {"rows": [{"school_id": "all", "activities": 90}, {"school_id": "oak", "activities": 42}]}
    assert school_row(report, "oak") == {"school_id": "oak", "activities": 42}
    assert school_row(report, "ash") is None
    assert school_row({}, "oak") is None

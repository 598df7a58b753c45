"""My team and My school in a real browser: a line manager opens an appraisee's records (and the
appraisee sees that read in their access log), a headteacher finds a member of staff and reads
the school's observations and CPD, a leader of two schools chooses one, and a teacher who
manages nobody is told so."""
from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser import support
from tests.browser.support import display_name, me


def _menu(page):
    return page.get_by_role("navigation", name="Main")


def _access_log(platform, token) -> list[dict]:
    answer = platform.api("GET", "portfolio", "/v1/me/access-log", token=token, params={"page_size": 200})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_line_manager_opens_an_appraisee_whose_access_log_shows_the_read(
        platform, signed_in, check_accessibility, screenshot):
    manager_token, teacher_token = platform.token("line manager"), platform.token("teacher")
    manager, teacher = me(platform, manager_token), me(platform, teacher_token)
    name = display_name(teacher)
    [job] = [job for job in teacher["employments"] if not job["ends_on"]]

    page = signed_in("line manager")
    _menu(page).get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(row).to_contain_text(job["job_title"])
    expect(row).to_contain_text(job["school_name"])
    expect(row).to_contain_text(re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}"))  # managed since
    check_accessibility(page)
    screenshot(page, "team-list")

    opened_at = datetime.now(timezone.utc) - timedelta(seconds=2)  # the services' clock is this machine's
    row.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("note")).to_contain_text(f"{name} can see that you opened their records")
    activities = page.get_by_role("table", name="CPD activities, newest first")
    expect(activities).to_be_visible()
    shown = activities.locator("tbody th").all_inner_texts()
    expect(page.get_by_role("heading", name="Observations")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "team-person")

    # The portfolio logged the page's reads where the teacher can see them: read before the API
    # is asked for its list below, so these entries are the page's.
    reads = [entry for entry in _access_log(platform, teacher_token)
             if entry["reader_id"] == manager["person_id"] and datetime.fromisoformat(entry["at"]) >= opened_at]
    listed = platform.api("GET", "portfolio", f"/v1/people/{teacher['person_id']}/activities",
                          token=manager_token, params={"page_size": 200}).json()["items"]
    assert listed, "the demo teacher has CPD activities"
    assert len(shown) == len(listed)
    for cell, activity in zip(shown, listed):  # newest first, as the API lists them
        assert cell.startswith(activity["title"]), (cell, activity["title"])
    assert {entry["record_id"] for entry in reads if entry["record_type"].endswith("activity")} >= {
        activity["id"] for activity in listed}

    as_teacher = signed_in("teacher")
    as_teacher.goto("/me/access")
    newest = as_teacher.get_by_role("table", name="Reads of your records").locator("tbody tr").first
    expect(newest).to_contain_text(display_name(manager))
    check_accessibility(as_teacher)
    screenshot(as_teacher, "team-appraisee-access-log")


def test_a_headteacher_finds_a_member_of_staff_and_reads_the_schools_observations_and_cpd(
        platform, signed_in, check_accessibility, screenshot):
    token = platform.token("headteacher")
    head = me(platform, token)
    [job] = [job for job in head["employments"] if not job["ends_on"]]
    school_id, school_name = job["school_id"], job["school_name"]
    staff = platform.api("GET", "identity", "/v1/people", token=token,
                         params={"school_id": school_id, "staff_category": "support", "page_size": 200}).json()["items"]
    families = [person["family_name"] for person in staff]
    person = next(p for p in staff if families.count(p["family_name"]) == 1 and p["id"] != head["person_id"])
    name = display_name(person)

    page = signed_in("headteacher")
    _menu(page).get_by_role("link", name="My school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(school_name)
    expect(page.get_by_role("link", name=f"Dashboards for {school_name}")).to_have_attribute(
        "href", re.compile(rf"/dashboards\?school_id={school_id}$"))
    records = platform.api("GET", "observation", "/v1/records", token=token,
                           params={"school_id": school_id, "privacy": "reportable", "page_size": 10}).json()
    assert records["total"] > 0, "the demo school has reportable observations"
    observations = page.get_by_role("table", name=re.compile("reportable records at"))
    expect(observations.locator("tbody tr")).to_have_count(len(records["items"]))
    expect(observations).to_contain_text(f"of {records['total']} reportable records")
    cpd = platform.api("GET", "reporting", "/v1/reports/cpd", token=token, params={"school_id": school_id}).json()
    [row] = [row for row in cpd["rows"] if row["school_id"] == school_id]
    activities = page.get_by_role("region", name="Activities")
    expect(activities).to_contain_text(f"{row['activities']:,}")
    expect(page.get_by_role("region", name="Spend")).to_contain_text(f"£{row['cost']:,.2f}")
    check_accessibility(page)
    screenshot(page, "school-overview")

    page.get_by_label("Staff category").select_option("support")
    page.get_by_label("Name").fill(person["family_name"])
    page.get_by_role("button", name="Find").click()
    staff_table = page.get_by_role("table", name=re.compile(f"Staff of {school_name}, 1 found"))
    expect(staff_table).to_be_visible()
    expect(staff_table.locator("tbody tr")).to_have_count(1)
    check_accessibility(page)
    screenshot(page, "school-staff-search")
    staff_table.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("note")).to_contain_text(f"{name} can see that you opened their records")
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    expect(page.get_by_role("link", name="Back to my school")).to_have_attribute(
        "href", re.compile(f"school_id={school_id}"))
    check_accessibility(page)
    screenshot(page, "school-person")

    # A second search on the same page (the form is sent again) that matches nobody says so; a
    # staff category the directory does not know is refused, its reason beside the field.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(school_name)
    page.get_by_label("Name").fill("zzqx-nobody")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("table", name=re.compile("0 found"))).to_contain_text("Nobody at")
    page.get_by_label("Name").fill(person["family_name"])
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("table", name=re.compile("1 found"))).to_contain_text(name)
    page.goto(f"/school?school_id={school_id}&staff_category=wizard")
    expect(page.locator(".field.invalid")).to_contain_text("Must be one of")
    expect(page.get_by_role("alert")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "school-bad-filter")


def test_a_teacher_who_manages_nobody_has_no_team_and_no_school(signed_in, check_accessibility, screenshot):
    page = signed_in("teacher")
    expect(_menu(page).get_by_role("link", name="My portfolio")).to_be_visible()
    expect(_menu(page).get_by_role("link", name="My team")).to_have_count(0)
    expect(_menu(page).get_by_role("link", name="My school")).to_have_count(0)
    answer = page.goto("/team")
    assert answer.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    expect(page.get_by_text("There is nobody to show")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "team-nobody")
    answer = page.goto("/school")
    assert answer.status == 200
    expect(page.get_by_text("There is no school to show")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "school-none")


def test_a_leader_of_two_schools_chooses_the_school(platform, new_page, check_accessibility, screenshot):
    admin = platform.token("trust admin")
    schools = platform.api("GET", "identity", "/v1/schools", token=admin, params={"page_size": 200}).json()["items"]
    first, second = [school for school in schools if school["status"] == "open"][:2]
    email = f"two.schools.{uuid.uuid4().hex[:8]}@brightpath.example.org"
    invited_at = time.time()
    created = platform.api("POST", "identity", "/v1/people", token=admin, headers={"Idempotency-Key": email}, json={
        "given_name": "Robin", "family_name": f"Twofold {email[12:20]}", "email": email, "invite": True,
        "employment": {"school_id": first["id"], "job_title": "Deputy Headteacher", "staff_category": "leadership",
                       "starts_on": "2024-09-01"}})
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    answer = platform.api("POST", "identity", f"/v1/people/{person_id}/employments", token=admin, json={
        "school_id": second["id"], "job_title": "Deputy Headteacher", "staff_category": "leadership",
        "fte": 0.5, "starts_on": "2024-09-01"})
    assert answer.status_code in (200, 201), answer.text
    for school in (first, second):
        answer = platform.api("POST", "identity", "/v1/role-grants", token=admin, json={
            "person_id": person_id, "role": "senior_leader", "scope_type": "school", "scope_id": school["id"]})
        assert answer.status_code in (200, 201), answer.text
    link = platform.link_mailed_to(email, after=invited_at)
    token = parse_qs(urlsplit(link).query)["token"][0]
    password = "two schools, one person"
    answer = platform.api("POST", "identity", "/v1/auth/invitations/accept",
                          json={"token": token, "password": password})
    assert answer.status_code in (200, 204), answer.text

    page = new_page()
    support.sign_in(page, email, password)
    page.wait_for_url(platform.base_url + "/")
    _menu(page).get_by_role("link", name="My school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My school")
    expect(page.get_by_text("You lead more than one school")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "school-choose")
    page.get_by_role("link", name=second["name"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second["name"])
    page.get_by_label("School", exact=True).select_option(first["id"])
    page.get_by_role("button", name="Show this school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first["name"])
    page.get_by_label("Name").fill("Twofold " + email[12:20])
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("table", name=re.compile(f"Staff of {re.escape(first['name'])}, 1 found"))).to_contain_text(
        "Robin Twofold")
    check_accessibility(page)
    screenshot(page, "school-chosen")

    # A senior leader reads the school's reportable observations, but not a person's portfolio
    # (headteachers and CPD leads do): the page shows portfolio's refusal in its place.
    observed = page.get_by_role("table", name=re.compile("reportable records at")).locator("tbody th a").first
    observee = observed.inner_text()
    observed.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(observee)
    expect(page.locator(".warning").first).to_contain_text("Not shown to you")
    expect(page.get_by_role("table", name=re.compile(f"Observation records of {re.escape(observee)}"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "school-person-refused")
    other = next(school for school in schools if school["id"] not in (first["id"], second["id"]))
    assert page.goto(f"/school?school_id={other['id']}").status == 404  # not one they lead

"""CPD requests and the trust's programme in a browser: the CPD lead sees what a teacher of their
school asked for, with its cost and cover, and decides several at once, one from its row and one
with a note; the teacher sees the decisions. The trust's CPD team publishes a course; a teacher
books a session, sees the places left drop, cancels and books again; attendance is recorded and
the session is in the teacher's portfolio. The CPD lead assigns an INSET day to their school's
staff. The API's reasons are shown beside the fields."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.support import display_name, me, unique


def requests_shown(number: int) -> re.Pattern:
    """How the totals bar counts requests: "1 request", "3 requests" (and not "13 requests" for 3)."""
    return re.compile(rf"(?<!\d){number} request{'' if number == 1 else 's'}\b")


def teachers_activity(platform, title: str) -> dict:
    """The demo teacher's one activity of this title, read through portfolio's API."""
    teacher = me(platform, platform.token("teacher"))
    answer = platform.api("GET", "portfolio", f"/v1/people/{teacher['person_id']}/activities",
                          token=platform.token("teacher"), params={"page_size": 50})
    [found] = [a for a in answer.json()["items"] if a["title"] == title]
    return found


def led_school(platform, lead_token: str, teacher_token: str) -> str:
    """The school the demo CPD lead decides for, which must be one the demo teacher works at."""
    lead = me(platform, lead_token)
    schools = {g["id"] for g in lead["grants"] if g["role"] == "cpd_lead" and g["scope"] == "school"}
    teaches = {job["school_id"] for job in me(platform, teacher_token)["employments"] if not job["ends_on"]}
    if not schools & teaches:
        pytest.fail(f"the demo CPD lead ({lead['email']}) leads no school the demo teacher works at", pytrace=False)
    return sorted(schools & teaches)[0]


def ask(platform, token: str, title: str, *, cost: float, starts_on: date, days: int = 1, cover: bool = True) -> str:
    """A CPD request made through portfolio's API, as the teacher's phone app would."""
    answer = platform.api("POST", "portfolio", "/v1/cpd-requests", token=token, json={
        "title": title, "activity_type": "course", "provider": "Maths Hub", "starts_on": starts_on.isoformat(),
        "ends_on": (starts_on + timedelta(days=days - 1)).isoformat(), "hours": 6, "cost": cost,
        "cover_needed": cover, "reason": "Our maths priority"})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def monday_after(days: int) -> date:
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def request_row(page, title: str):
    return page.locator("table.cpd-requests tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))


def waiting_totals(platform, lead_token: str, school_id: str, lead_id: str) -> tuple[int, Decimal]:
    """What the waiting list of the school should add up to, from the API itself."""
    answer = platform.api("GET", "portfolio", "/v1/cpd-requests", token=lead_token,
                          params={"status": "pending", "page_size": 200})
    items = [i for i in answer.json()["items"] if i["school_id"] == school_id and i["person_id"] != lead_id]
    return len(items), sum((Decimal(str(i["cost"])) for i in items), Decimal(0))


def test_the_cpd_lead_decides_several_requests_at_once_and_the_teacher_sees_the_decisions(
        platform, signed_in, check_accessibility, screenshot):
    lead_token, teacher_token = platform.token("CPD lead"), platform.token("teacher")
    school_id = led_school(platform, lead_token, teacher_token)
    lead_id = me(platform, lead_token)["person_id"]
    first_day = monday_after(21)

    # The teacher asks for one through the portfolio's form, the others through the API.
    teacher = signed_in("teacher")
    by_form = unique("Mastery in maths")
    teacher.goto("/portfolio/requests/new")
    teacher.get_by_label("What you want to attend").fill(by_form)
    teacher.get_by_label("Type").select_option("course")
    teacher.get_by_label("Provider").fill("Maths Hub")
    teacher.get_by_label("First day").fill(first_day.isoformat())
    teacher.get_by_label("Last day").fill((first_day + timedelta(days=1)).isoformat())
    teacher.get_by_label("Hours", exact=True).fill("12")
    teacher.get_by_label("Cost in pounds").fill("410.50")
    teacher.get_by_label("Cover will be needed while I am away").check()
    teacher.get_by_label("Why you want to attend").fill("Our maths priority")
    teacher.get_by_role("button", name="Send my request").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("My CPD requests")
    by_api = [unique("Reading fluency"), unique("Phonics refresher"), unique("Behaviour conference")]
    ask(platform, teacher_token, by_api[0], cost=120, starts_on=first_day)
    ask(platform, teacher_token, by_api[1], cost=75.25, starts_on=first_day, cover=False)
    ask(platform, teacher_token, by_api[2], cost=300, starts_on=first_day)
    titles = [by_form, *by_api]

    lead = signed_in("CPD lead")
    lead.get_by_role("navigation", name="Main").get_by_role("link", name="CPD requests").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("CPD requests to decide")
    row = request_row(lead, by_form)
    expect(row).to_contain_text("£410.50")
    expect(row).to_contain_text("Yes: 2 days")  # a Monday and a Tuesday of cover
    expect(request_row(lead, by_api[1]).locator("td").nth(5)).to_have_text("No")  # the cover column
    count, cost = waiting_totals(platform, lead_token, school_id, lead_id)
    totals = lead.locator("#request-totals")
    expect(totals).to_contain_text(requests_shown(count))
    expect(totals).to_contain_text(f"£{cost:,.2f} asked")
    check_accessibility(lead)
    screenshot(lead, "cpd-requests")

    # All of them with a note longer than the API takes: its reason beside the note, nothing decided.
    lead.get_by_label("Select all shown").check()
    for title in titles:
        expect(request_row(lead, title).get_by_role("checkbox")).to_be_checked()
    lead.locator("label[for='bulk_decision-declined']").click()
    lead.get_by_label("Note to everyone ticked").fill("No budget. " * 201)
    lead.get_by_role("button", name="Decide the ticked requests").click()
    note = lead.locator(".field", has=lead.get_by_label("Note to everyone ticked"))
    expect(note.locator(".field-error")).to_contain_text("2000")
    for title in titles:
        expect(request_row(lead, title).get_by_role("button", name=re.compile("^Approve"))).to_be_visible()  # none
        expect(request_row(lead, title).get_by_role("checkbox")).to_be_checked()  # the ticks are kept
    expect(totals).to_contain_text(requests_shown(count))
    check_accessibility(lead)
    screenshot(lead, "cpd-requests-refused")

    # Two at once, with one note: both leave the waiting list.
    lead.get_by_label("Select all shown").check()
    lead.get_by_label("Select all shown").uncheck()
    expect(request_row(lead, by_api[2]).get_by_role("checkbox")).not_to_be_checked()
    for title in (by_form, by_api[0]):
        request_row(lead, title).get_by_role("checkbox").check()
    lead.locator("label[for='bulk_decision-approved']").click()
    lead.get_by_label("Note to everyone ticked").fill("Go ahead: share what you learn at the next staff meeting.")
    lead.get_by_role("button", name="Decide the ticked requests").click()
    expect(lead.locator("#messages")).to_contain_text("2 requests decided: 2 approved.")
    expect(request_row(lead, by_form)).to_have_count(0)
    expect(request_row(lead, by_api[0])).to_have_count(0)
    expect(request_row(lead, by_api[1])).to_have_count(1)
    expect(totals).to_contain_text(requests_shown(count - 2))
    expect(totals).to_contain_text(f"£{cost - Decimal('530.50'):,.2f} asked")

    # One from its row (htmx replaces the row), one from its page with a note.
    request_row(lead, by_api[1]).get_by_role("button", name=re.compile("^Decline")).click()
    decided = lead.locator("tr.cpd-decided", has_text=by_api[1])
    expect(decided).to_contain_text("Declined")
    expect(lead.locator("#messages")).to_contain_text("1 request decided: 1 declined.")
    expect(totals).to_contain_text(requests_shown(count - 3))
    request_row(lead, by_api[2]).get_by_role("link", name=re.compile("^With a note")).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(by_api[2])
    expect(lead.locator(".cpd-facts")).to_contain_text("Our maths priority")
    check_accessibility(lead)
    screenshot(lead, "cpd-request")
    lead.locator("label[for='decision-declined']").click()
    lead.get_by_label("Note").fill("Not this term: the trust runs one in the spring.")
    lead.get_by_role("button", name="Save the decision").click()
    expect(lead.locator("#messages")).to_contain_text("1 request decided: 1 declined.")
    lead.reload()
    for title in titles:
        expect(request_row(lead, title)).to_have_count(0)
    lead.get_by_label("Status").select_option("declined")
    lead.get_by_role("button", name="Show").click()
    expect(request_row(lead, by_api[2])).to_contain_text("Declined")
    check_accessibility(lead)
    screenshot(lead, "cpd-requests-decided")

    # The teacher sees every decision, and the note.
    teacher.goto("/portfolio/requests")
    mine = teacher.locator("tbody tr")
    expect(mine.filter(has_text=by_form)).to_contain_text("Approved")
    expect(mine.filter(has_text=by_form)).to_contain_text("share what you learn")
    expect(mine.filter(has_text=by_api[0])).to_contain_text("Approved")
    expect(mine.filter(has_text=by_api[1])).to_contain_text("Declined")
    expect(mine.filter(has_text=by_api[2])).to_contain_text("Not this term")
    listed = platform.api("GET", "portfolio", "/v1/cpd-requests", token=teacher_token, params={"page_size": 200}).json()
    statuses = {i["title"]: i["status"] for i in listed["items"] if i["title"] in titles}
    assert statuses == {by_form: "approved", by_api[0]: "approved", by_api[1]: "declined", by_api[2]: "declined"}


def places(page, title: str):
    return page.locator("section.cpd-course", has=page.get_by_role("heading", name=title)).locator("[data-places-left]")


def test_a_course_is_published_booked_cancelled_and_its_attendance_recorded(
        platform, signed_in, check_accessibility, screenshot):
    title = unique("Coaching conversations")
    held_on = monday_after(28)

    admin = signed_in("trust admin")
    admin.goto("/cpd/programme")
    admin.get_by_role("link", name="New course").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("New course on the programme")
    admin.get_by_label("Title").fill(title)
    admin.get_by_label("What it is about").fill("Three coaching models, practised in pairs.")
    admin.locator("#field-sessions-0-held_on").fill(held_on.isoformat())
    admin.locator("#field-sessions-0-location").fill("Trust hub")
    admin.locator("#field-sessions-0-places").fill("3")
    admin.get_by_role("button", name="Publish the course").click()  # no hours: the API says so
    hours = admin.locator(".field", has=admin.get_by_label("Hours"))
    expect(hours.locator(".field-error")).to_contain_text("Missing data")
    expect(admin.get_by_label("Title")).to_have_value(title)
    check_accessibility(admin)
    screenshot(admin, "cpd-course-new-refused")
    admin.get_by_label("Hours").fill("2.5")
    admin.get_by_role("button", name="Publish the course").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(title)
    expect(admin.locator("#messages")).to_contain_text("Published")
    course_url = admin.url

    teacher = signed_in("teacher")
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("The trust's CPD programme")
    expect(places(teacher, title)).to_have_text("3 of 3")
    expect(teacher.get_by_role("link", name="New course")).to_have_count(0)  # the trust's CPD team's
    teacher.locator("section.cpd-course", has=teacher.get_by_role("heading", name=title)) \
        .get_by_role("button", name=re.compile("^Book a place")).click()
    expect(teacher.locator("#messages")).to_contain_text(f"Your place is booked: {title}")
    expect(places(teacher, title)).to_have_text("2 of 3")
    expect(teacher.locator("#mine")).to_contain_text(title)
    check_accessibility(teacher)
    screenshot(teacher, "cpd-programme")

    teacher.locator("#mine tr", has_text=title).get_by_role("button", name=re.compile("^Cancel")).click()
    expect(teacher.locator("#messages")).to_contain_text(f"Your booking is cancelled: {title}")
    expect(places(teacher, title)).to_have_text("3 of 3")
    expect(teacher.locator("#mine")).not_to_contain_text(title)

    teacher.get_by_role("link", name=title).click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(title)
    teacher.get_by_role("button", name=re.compile("^Book a place")).click()
    expect(teacher.locator("[data-places-left]")).to_have_text("2 of 3")
    expect(teacher.get_by_role("button", name=re.compile("^Cancel my place"))).to_be_visible()
    check_accessibility(teacher)
    screenshot(teacher, "cpd-course")

    # Portfolio lets the trust's CPD team mark attendance; a school's CPD lead is not offered it.
    lead = signed_in("CPD lead")
    lead.goto(course_url)
    expect(lead.get_by_role("heading", level=1)).to_have_text(title)
    expect(lead.get_by_role("link", name=re.compile("^Record attendance"))).to_have_count(0)

    name = display_name(me(platform, platform.token("teacher")))
    admin.goto(course_url)
    admin.get_by_role("link", name=re.compile("^Record attendance")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Attendance: {title}")
    check_accessibility(admin)
    screenshot(admin, "cpd-attendance")
    admin.get_by_label(name).check()
    admin.get_by_role("button", name="Record attendance").click()
    expect(admin.locator("#messages")).to_contain_text("Attendance recorded: 1 attended, 0 absent.")
    expect(admin.locator("table", has_text="Marked")).to_contain_text(name)
    expect(admin.locator("table", has_text="Marked")).to_contain_text("Attended")

    teacher.goto("/cpd/programme")
    expect(teacher.locator("#mine tr", has_text=title)).to_contain_text("Attended")
    attended = teachers_activity(platform, title)
    assert (attended["source"], attended["starts_on"], attended["hours"]) == ("programme", held_on.isoformat(), 2.5)


def test_the_cpd_lead_assigns_an_inset_day_to_their_schools_staff(platform, signed_in, check_accessibility, screenshot):
    name = display_name(me(platform, platform.token("teacher")))
    title = unique("INSET: adaptive teaching")
    day = monday_after(7)

    lead = signed_in("CPD lead")
    lead.goto("/cpd/programme")
    lead.get_by_role("link", name="Assign an activity to many people").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Assign an activity to many people")
    people = lead.locator("fieldset.cpd-people")
    expect(people.get_by_label(name)).to_be_visible()  # the lead's own school's staff
    lead.get_by_label("Title").fill(title)
    lead.get_by_label("First day").fill(day.isoformat())
    lead.get_by_label("Hours").fill("6")
    lead.get_by_role("button", name="Record it for everyone ticked").click()  # nobody ticked
    expect(people.locator(".field-error")).to_be_visible()
    expect(lead.get_by_label("Title")).to_have_value(title)
    check_accessibility(lead)
    screenshot(lead, "cpd-assign-refused")

    people.get_by_label("Everyone shown").check()
    everyone = people.locator("input[name=person_ids]").count()
    assert everyone > 1
    lead.get_by_role("button", name="Record it for everyone ticked").click()
    expect(lead.locator("#messages")).to_contain_text(f"“{title}” is recorded for {everyone} people.")
    check_accessibility(lead)
    screenshot(lead, "cpd-assign")
    inset = teachers_activity(platform, title)
    assert (inset["source"], inset["activity_type"], inset["starts_on"]) == ("assigned", "inset", day.isoformat())

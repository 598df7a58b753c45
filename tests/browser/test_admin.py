"""The trust admin's journeys in the browser: schools and groups, a staff CSV checked then applied,
a person's roles, line manager and account, and an observation form built, published and edited.
Each test makes its own records (unique names), and each bad input shows the API's reason beside
the field it is about."""
from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date

from playwright.sync_api import expect

from tests.browser.support import unique

ADMIN = "trust admin"


def _reason_beside(page, field_id: str):
    """The API's reason shown beside a field (the macros' ``<id>-error``)."""
    return page.locator(f"#{field_id}-error")


def _fits_a_phone(page) -> bool:
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        return page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def _school_of(platform, who: str) -> dict:
    """The school a demo login works at today."""
    token = platform.token(ADMIN)
    found = platform.api("GET", "identity", "/v1/people", token=token, params={"q": platform.logins[who]}).json()
    person = platform.api("GET", "identity", f"/v1/people/{found['items'][0]['id']}", token=token).json()
    school_id = next(job["school_id"] for job in person["employments"] if not job["ends_on"])
    return platform.api("GET", "identity", f"/v1/schools/{school_id}", token=token).json()


def _open_school_with_urn(platform) -> dict:
    token = platform.token(ADMIN)
    schools = platform.api("GET", "identity", "/v1/schools", token=token, params={"page_size": 200}).json()["items"]
    return next(school for school in schools if school["status"] == "open" and school.get("urn"))


def test_the_admin_adds_a_school_finds_it_and_groups_it(signed_in, check_accessibility, screenshot):
    page = signed_in(ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trust admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trust admin")
    expect(page.locator("#schools-card").locator("xpath=..")).to_contain_text(re.compile(r"\d+ schools"))
    check_accessibility(page)
    screenshot(page, "admin-home")

    page.get_by_role("link", name="Schools", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools")
    taken = page.locator("tbody th a").first.inner_text()
    page.get_by_label("Name").fill(taken)
    page.get_by_label("Phase").select_option("primary")
    page.get_by_role("button", name="Add the school").click()
    expect(_reason_beside(page, "field-name")).to_contain_text("already has a school with this name")
    expect(page.get_by_label("Name")).to_have_value(taken)  # what was typed is kept
    check_accessibility(page)
    screenshot(page, "admin-schools-refused")

    name, urn = unique("Willow Brook Primary"), str(uuid.uuid4().int)[:9]
    page.get_by_label("Name").fill(name)
    page.get_by_label("Phase").select_option("primary")
    page.get_by_label("URN").fill(urn)
    page.get_by_role("button", name="Add the school").click()
    expect(page.locator(".notice")).to_have_text(f"Added {name}.")
    page.reload()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name))
    expect(row).to_contain_text("Primary")
    expect(row).to_contain_text(urn)
    check_accessibility(page)
    screenshot(page, "admin-schools")

    row.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_label("Phase").select_option("all_through")
    page.get_by_role("button", name="Save the school").click()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name=name))).to_contain_text("All through")
    page.get_by_role("link", name=name).click()
    check_accessibility(page)
    screenshot(page, "admin-school")

    page.goto("/admin/groups")
    page.get_by_role("button", name="Create the group").click()  # no name
    expect(_reason_beside(page, "field-name")).to_contain_text("Length must be between 1 and 200")
    group = unique("North hub")
    page.get_by_label("Name of the group").fill(group)
    page.get_by_label(name).check()
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name=group))).to_contain_text(name)
    check_accessibility(page)
    screenshot(page, "admin-groups")

    page.get_by_role("link", name=group).click()
    expect(page.get_by_label(name)).to_be_checked()
    page.get_by_label(name).uncheck()  # take the school out again
    page.get_by_role("button", name="Save the group").click()
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name=group))).to_contain_text("None yet")
    page.get_by_role("link", name=group).click()
    check_accessibility(page)
    screenshot(page, "admin-group")

    page.goto("/admin/audit")
    page.get_by_label("Action").fill("school.updated")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table")).to_contain_text("all_through")  # the change of phase is audited
    check_accessibility(page)
    screenshot(page, "admin-audit")


def _staff_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["email", "given_name", "family_name", "school_urn", "job_title",
                                             "staff_category", "starts_on", "roles"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _check(page, data: bytes) -> None:
    page.get_by_label("Staff CSV file").set_input_files(files=[{"name": "staff.csv", "mimeType": "text/csv",
                                                                "buffer": data}])
    page.get_by_role("button", name="Check the file (dry run)").click()


def test_a_csv_with_a_bad_line_imports_nothing_and_the_fixed_file_applies(platform, signed_in, check_accessibility,
                                                                           screenshot):
    urn = _open_school_with_urn(platform)["urn"]
    family = f"Importson{uuid.uuid4().hex[:8]}"
    people = [{"email": f"{name.lower()}.{family.lower()}@school.example.org", "given_name": name,
               "family_name": family, "school_urn": urn, "job_title": "Class teacher", "staff_category": "teaching",
               "starts_on": date.today().isoformat(), "roles": "teacher"} for name in ("Ada", "Bea")]
    page = signed_in(ADMIN)
    page.goto("/admin/imports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import staff from a CSV file")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download an example file").click()
    example = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert list(example[0])[:7] == ["email", "given_name", "family_name", "school_urn", "job_title", "staff_category",
                                    "starts_on"]
    assert len(example) == 2 and example[0]["email"] != example[1]["email"]
    check_accessibility(page)
    screenshot(page, "admin-imports")

    bad = [people[0], {**people[1], "staff_category": "teachng"}]
    _check(page, _staff_csv(bad))
    problems = page.get_by_role("table").filter(has=page.get_by_text("nothing was imported"))
    expect(problems.locator("caption")).to_have_text("1 problem; nothing was imported")
    row = problems.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")  # line 3: the header is line 1
    expect(row.locator("td").nth(1)).to_have_text("staff_category")
    expect(row.locator("td").nth(2)).to_contain_text("must be one of: teaching, support, leadership")
    check_accessibility(page)
    screenshot(page, "admin-import-problems")

    page.goto(f"/admin/people?q={family}")
    expect(page.get_by_role("table").locator("caption")).to_have_text("0 found")  # the good line was not written

    page.goto("/admin/imports")
    _check(page, _staff_csv(people))
    ready = page.locator(".admin-ready")
    expect(ready).to_contain_text("ready to apply")
    expect(ready.get_by_role("row", name=re.compile("People created"))).to_contain_text("2")
    check_accessibility(page)
    screenshot(page, "admin-import-ready")
    staff_list = page.context.new_page()  # the same session, in another tab: the checked page stays
    staff_list.goto(f"/admin/people?q={family}")
    expect(staff_list.get_by_role("table").locator("caption")).to_have_text("0 found")  # a dry run writes nothing
    staff_list.close()

    page.get_by_role("button", name="Apply staff.csv").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("staff.csv is imported")
    expect(page.get_by_role("row", name=re.compile("People created"))).to_contain_text("2")
    check_accessibility(page)
    screenshot(page, "admin-import-done")

    page.get_by_role("link", name="Find the people").click()
    page.get_by_label("Name or email").fill(family)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("table").locator("caption")).to_have_text("2 found")
    for person in people:
        expect(page.get_by_role("table")).to_contain_text(person["email"])
    check_accessibility(page)
    screenshot(page, "admin-people")
    page.get_by_role("link", name=f"{family}, Ada").click()
    expect(page.get_by_role("table").first).to_contain_text("Class teacher")


def test_a_persons_role_line_manager_and_account(platform, signed_in, check_accessibility, screenshot):
    school = _school_of(platform, "headteacher")
    family = f"Granting{uuid.uuid4().hex[:8]}"
    email = f"cara.{family.lower()}@school.example.org"
    page = signed_in(ADMIN)
    page.goto("/admin/people/new")
    page.get_by_label("First name").fill("Cara")
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Work email").fill("not an email")
    page.get_by_role("button", name="Add the person").click()
    expect(_reason_beside(page, "field-email")).to_contain_text("Not a valid email address")
    expect(page.get_by_label("First name")).to_have_value("Cara")
    check_accessibility(page)
    screenshot(page, "admin-person-new-refused")
    page.get_by_label("Work email").fill(email)
    page.get_by_role("button", name="Add the person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cara {family}")
    expect(page.locator(".lead")).to_contain_text("Invited")

    # A job first: the line manager is someone's at a school they work at.
    page.get_by_role("link", name="Start an employment").click()
    page.get_by_label("School").select_option(label=school["name"])
    page.get_by_label("Staff category").select_option("teaching")
    page.get_by_role("button", name="Start the employment").click()  # no job title
    expect(_reason_beside(page, "field-job_title")).to_contain_text("Length must be between 1 and 200")
    check_accessibility(page)
    screenshot(page, "admin-employment-refused")
    page.get_by_label("Job title").fill("Science teacher")
    page.get_by_role("button", name="Start the employment").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(school["name"])))).to_contain_text("Science teacher")

    # A role: refused without one chosen, then granted, then ended.
    page.get_by_label("Where").select_option(label=school["name"])
    page.get_by_role("button", name="Grant the role").click()
    expect(_reason_beside(page, "field-role")).to_contain_text("Must be one of")
    expect(page.get_by_label("Where")).to_have_value(f"school:{school['id']}")
    page.get_by_label("Role", exact=True).select_option("coach")
    page.get_by_role("button", name="Grant the role").click()
    expect(page.locator(".notice")).to_have_text("Granted coach.")
    roles = page.locator("#roles-heading").locator("xpath=..").get_by_role("table")
    coach = roles.get_by_role("row", name=re.compile(re.escape(f"Coach {school['name']}")))
    expect(coach).to_contain_text("no end")
    what = f"Coach at {school['name']}"
    page.get_by_label(f"Last day of {what}").fill("2001-01-01")  # before it started
    page.get_by_role("button", name=f"End {what}").click()
    expect(_reason_beside(page, "field-on")).to_contain_text("must not be before the grant started")
    today = date.today()
    page.get_by_label(f"Last day of {what}").fill(today.isoformat())
    page.get_by_role("button", name=f"End {what}").click()
    expect(page.locator(".notice")).to_have_text("The role is ended.")
    page.reload()
    expect(coach).to_contain_text(f"{today.day} {today:%b %Y}")  # ends today: the grant is kept, with its end

    # A line manager: an unknown email, and the person themself (the API's refusal), are refused
    # beside the email field; their school's headteacher is assigned.
    page.get_by_label("Line manager's email").fill(f"nobody.{family.lower()}@school.example.org")
    page.get_by_role("button", name="Assign the line manager").click()
    expect(_reason_beside(page, "field-manager_email")).to_contain_text("no one you can see in the trust has this email")
    page.get_by_label("Line manager's email").fill(email)
    page.get_by_role("button", name="Assign the line manager").click()
    expect(_reason_beside(page, "field-manager_email")).to_contain_text("cannot be their own line manager")
    page.get_by_label("Line manager's email").fill(platform.logins["headteacher"])
    page.get_by_label("At school").select_option(label=school["name"])
    page.get_by_role("button", name="Assign the line manager").click()
    expect(page.locator(".notice")).to_have_text("The line manager is assigned.")
    managers = page.locator("#managers-heading").locator("xpath=..").get_by_role("table")
    expect(managers.get_by_role("row", name=re.compile(re.escape(school["name"])))).to_contain_text("now")
    assert _fits_a_phone(page)
    check_accessibility(page)
    screenshot(page, "admin-person")

    # The account: invite, then disable (a reason is needed), then enable.
    expect(page.get_by_text("No invitation sent yet.")).to_be_visible()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".notice")).to_contain_text("The invitation is sent")
    expect(page.locator(".admin-invited")).to_contain_text("Invitation sent")
    expect(page.get_by_role("button", name="Resend the invitation")).to_be_visible()
    assert "token=" in platform.link_mailed_to(email)
    page.locator("summary", has_text="Disable the account").click()
    page.get_by_role("button", name="Disable the account").click()  # no reason
    expect(_reason_beside(page, "field-reason")).to_contain_text("Length must be between 1 and 500")
    check_accessibility(page)
    page.get_by_label("Reason").fill("long-term absence")
    page.get_by_role("button", name="Disable the account").click()
    expect(page.locator(".lead")).to_contain_text("Disabled")
    expect(page.get_by_text(re.compile(r"Disabled .*: long-term absence"))).to_be_visible()
    page.get_by_role("button", name="Enable the account").click()
    expect(page.locator(".notice")).to_have_text("The account is enabled again.")
    expect(page.locator(".lead")).to_contain_text("Invited")


def test_a_form_built_published_and_edited_keeps_its_older_version(signed_in, check_accessibility, screenshot):
    page = signed_in(ADMIN)
    page.goto("/admin/forms")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forms and frameworks")
    check_accessibility(page)
    screenshot(page, "admin-forms")
    page.get_by_role("table").nth(1).get_by_role("link").first.click()  # a framework and its principles
    expect(page.get_by_role("table")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "admin-framework")

    page.goto("/admin/forms")
    page.get_by_role("link", name="Create a form").click()
    name = unique("Learning walk")
    page.get_by_label("Name of the form").fill(name)
    page.get_by_label("Section title").fill("In the classroom")
    page.get_by_label("Question or statement").fill("High expectations")
    first = page.locator("#field-sections-0-items-0-principle_id")
    first.select_option(index=1)  # the first principle of the trust's own framework
    principle = first.locator("option:checked").inner_text()
    page.get_by_label("Scale (for a rating)").fill("1 = Emerging")  # one point: not a scale
    page.get_by_role("button", name="Add an item to section 1").click()
    second = page.locator("#field-sections-0-items-1-label")
    expect(second).to_be_focused()  # htmx brought the new item with what was typed kept
    expect(page.get_by_label("Question or statement").first).to_have_value("High expectations")
    second.fill("Routines seen")
    page.locator("#field-sections-0-items-1-kind").select_option("checklist")
    page.locator("#field-sections-0-items-1-options").fill("Entry routine\nExit routine")
    page.locator("#field-sections-0-items-1-principle_id").select_option(index=2)
    assert _fits_a_phone(page)
    check_accessibility(page)
    screenshot(page, "admin-form-new")

    page.get_by_role("button", name="Save the draft").first.click()
    expect(_reason_beside(page, "field-sections-0-items-0-scale")).to_contain_text("at least two points")
    expect(page.locator("#error-summary")).to_contain_text("Not saved")
    expect(page.locator("#error-summary")).to_contain_text("Section 1, item 1, scale")
    expect(page.locator("#field-sections-0-items-1-options")).to_have_value("Entry routine\nExit routine")
    check_accessibility(page)
    screenshot(page, "admin-form-refused")
    page.locator("#field-sections-0-items-0-scale").fill("1 = Emerging\n2 = Secure\n3 = Strong")
    page.get_by_role("button", name="Save the draft").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("row", name=re.compile("Version 1"))).to_contain_text("Draft")

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".notice")).to_contain_text("Published version 1")
    expect(page.get_by_role("row", name=re.compile("Version 1"))).to_contain_text("Published")
    check_accessibility(page)
    screenshot(page, "admin-form")

    page.get_by_role("link", name="Edit: start version 2").click()
    expect(page.get_by_label("Question or statement").first).to_have_value("High expectations")
    page.get_by_label("Question or statement").first.fill("High expectations for all")
    page.get_by_role("button", name="Save the draft").first.click()
    expect(page.locator(".notice")).to_contain_text("version 2")
    expect(page.get_by_role("row", name=re.compile("Version 2"))).to_contain_text("Draft")

    page.get_by_role("link", name="View version 1").click()
    items = page.locator(".admin-readonly li")
    expect(items.first).to_contain_text("High expectations")
    expect(items.first).not_to_contain_text("for all")  # the published version never changes
    expect(items.first).to_contain_text(f"linked to {principle}")
    expect(page.locator(".admin-readonly")).to_contain_text("Emerging (1), Secure (2), Strong (3)")
    expect(page.locator(".admin-readonly")).to_contain_text("Checklist")
    check_accessibility(page)
    screenshot(page, "admin-form-version")

    page.get_by_role("link", name=name).click()
    page.once("dialog", lambda dialog: dialog.accept())  # "Retire ...? No new records will use it."
    page.get_by_role("button", name="Retire the form").click()
    expect(page.locator(".notice")).to_contain_text("The form is retired")
    expect(page.locator(".lead")).to_contain_text("Retired")
    expect(page.get_by_role("button", name="Retire the form")).to_have_count(0)


def test_a_trust_framework_is_added_published_and_versioned(signed_in, check_accessibility, screenshot):
    page = signed_in(ADMIN)
    page.goto("/admin/forms")
    page.get_by_role("link", name="Add a framework").click()
    key = f"support-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Name").fill(f"Support staff competencies {key}")
    page.get_by_label("Short key").fill("Not a key")
    page.get_by_label("Items").fill("C1 = Communicates clearly\nC2 = Works with colleagues")
    page.get_by_role("button", name="Save the draft").click()
    expect(_reason_beside(page, "field-key")).to_contain_text("does not match expected pattern")
    expect(page.get_by_label("Items")).to_have_value("C1 = Communicates clearly\nC2 = Works with colleagues")
    check_accessibility(page)
    screenshot(page, "admin-framework-new-refused")
    page.get_by_label("Short key").fill(key)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator(".lead")).to_contain_text("Draft")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".notice")).to_contain_text("Published version 1")

    page.get_by_label("Items").fill("C1 = Communicates clearly\nC1 = Twice")
    page.get_by_role("button", name="Save as a draft").click()
    expect(_reason_beside(page, "field-items")).to_contain_text("every item needs its own code")
    page.get_by_label("Items").fill("C1 = Communicates clearly with pupils\nC2 = Works with colleagues")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".notice")).to_contain_text("Version 2 is saved as a draft")
    expect(page.get_by_role("table")).to_contain_text("Communicates clearly with pupils")
    check_accessibility(page)
    screenshot(page, "admin-framework-versioned")
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("table")).not_to_contain_text("with pupils")  # a published version never changes

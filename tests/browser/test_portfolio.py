"""The teacher's portfolio in a browser: record CPD with evidence and download it again, the API's
reasons beside the fields, one activity from a form sent twice, evaluate its impact, request CPD
and withdraw it, export everything."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.support import unique

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def fill_activity(page, title: str, *, starts_on: date, ends_on: date, hours: str = "6") -> None:
    """The record-CPD form, as a teacher fills it in."""
    page.get_by_label("Title").fill(title)
    page.get_by_label("Type").select_option("course")
    page.get_by_label("Delivery").select_option("external")
    page.get_by_label("Provider").fill("Ambition Institute")
    page.get_by_label("First day").fill(starts_on.isoformat())
    page.get_by_label("Last day").fill(ends_on.isoformat())
    page.get_by_label("Hours", exact=True).fill(hours)


def record_activity(page, title: str, *, starts_on: date, ends_on: date) -> str:
    """Record an activity through the form; the activity page's address."""
    page.goto("/portfolio/activities/new")
    fill_activity(page, title, starts_on=starts_on, ends_on=ends_on)
    page.get_by_role("button", name="Record CPD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def activity_rows(page, title: str):
    return page.locator("table.pf-activities tbody tr").filter(has=page.get_by_role("link", name=title, exact=True))


def find_in_my_list(page, title: str):
    """The activity's row in "My CPD activities", turning the pages as a person would."""
    while not activity_rows(page, title).count():
        following = page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next")
        if not following.count():
            break
        following.click()
    return activity_rows(page, title)


def school_year_label(day: date) -> str:
    year = day.year if day.month >= 9 else day.year - 1
    return f"{year}-{(year + 1) % 100:02d}"


def rate(page, question: str, value: int) -> None:
    page.locator("fieldset", has_text=question).locator(f"label[for$='-{value}']").click()


def test_record_cpd_with_evidence_then_find_open_and_download_it(signed_in, check_accessibility, screenshot,
                                                                  tmp_path: Path):
    page = signed_in("teacher")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My portfolio")
    expect(page.get_by_role("heading", name=re.compile(r"This school year \(\d{4}-\d{2}\)"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "portfolio-mine")

    page.get_by_role("link", name="Record CPD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record CPD")
    expect(page.get_by_text(re.compile(r"Up to 10 MB"))).to_be_visible()  # the limit, before choosing
    check_accessibility(page)
    screenshot(page, "portfolio-record")

    title = unique("Questioning that deepens thinking")
    today = date.today()
    fill_activity(page, title, starts_on=today - timedelta(days=1), ends_on=today, hours="6.5")
    page.get_by_label("Cost in pounds").fill("120")
    page.get_by_label("Cover was needed while I was away").check()
    page.get_by_text("Teachers' Standards (2012)").click()
    page.locator("#field-TS3").check()
    page.get_by_label("Linked objectives").fill("Improve questioning in KS2\nLiteracy across the curriculum")
    page.get_by_label("Reflection").fill("Wait time matters more than I thought.")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(certificate))
    page.get_by_label("What the file is").fill("Certificate of attendance")
    page.get_by_role("button", name="Record CPD").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status")).to_contain_text("Its evidence is attached")
    details = page.locator("dl.pf-details")
    expect(details).to_contain_text("Ambition Institute")
    expect(details).to_contain_text("6.5")
    expect(details).to_contain_text("£120.00")
    expect(details).to_contain_text("TS3")
    expect(details).to_contain_text("Improve questioning in KS2")
    expect(page.get_by_text("Wait time matters more than I thought.")).to_be_visible()
    # Its two evaluations are scheduled from its last day: the first is due today.
    evaluations = page.get_by_role("table").filter(has_text="Stage")
    expect(evaluations.get_by_role("row", name=re.compile("Straight after"))).to_contain_text("Evaluate now")
    expect(evaluations.get_by_role("row", name=re.compile("Follow-up"))).to_contain_text("Not due yet")
    check_accessibility(page)
    screenshot(page, "portfolio-activity")
    activity_url = page.url

    # In the list, newest first, with its type, dates, hours, provider and standards.
    page.goto("/portfolio")
    row = find_in_my_list(page, title)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Course")
    expect(row).to_contain_text("6.5")
    expect(row).to_contain_text("Ambition Institute")
    expect(row).to_contain_text("TS3")
    # ... and in this school year's.
    page.get_by_label("School year", exact=True).select_option(label=school_year_label(today))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(f"In {school_year_label(today)}:")).to_be_visible()
    expect(find_in_my_list(page, title)).to_have_count(1)

    activity_rows(page, title).get_by_role("link", name=title).click()
    expect(page).to_have_url(activity_url)
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("certificate.pdf")
    with page.expect_download() as downloading:
        evidence.get_by_role("link", name="Certificate of attendance").click()
    download = downloading.value
    assert download.suggested_filename == "certificate.pdf"
    assert Path(download.path()).read_bytes() == PDF


def test_the_apis_reasons_beside_the_fields_and_what_was_typed_kept(signed_in, check_accessibility, screenshot):
    page = signed_in("teacher")
    page.goto("/portfolio/activities/new")
    title = unique("Adaptive teaching")
    today = date.today()
    fill_activity(page, title, starts_on=today, ends_on=today, hours="-2")
    page.get_by_role("button", name="Record CPD").click()

    hours = page.locator(".field").filter(has=page.get_by_label("Hours", exact=True))
    expect(hours.locator(".field-error")).to_contain_text("greater than or equal to 0")
    expect(page.get_by_label("Hours", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Provider")).to_have_value("Ambition Institute")
    check_accessibility(page)
    screenshot(page, "portfolio-record-refused")

    page.get_by_label("Hours", exact=True).fill("3")
    page.get_by_label("Last day").fill((today - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Record CPD").click()
    last_day = page.locator(".field").filter(has=page.get_by_label("Last day"))
    expect(last_day.locator(".field-error")).to_contain_text("must not be before starts_on")
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Hours", exact=True)).to_have_value("3")

    page.goto("/portfolio")
    expect(find_in_my_list(page, title)).to_have_count(0)  # nothing was recorded


def test_a_refused_file_is_explained_beside_the_file_field_and_a_link_is_added(signed_in, check_accessibility,
                                                                               screenshot, tmp_path: Path):
    page = signed_in("teacher")
    title = unique("Subject knowledge: fractions")
    today = date.today()
    record_activity(page, title, starts_on=today, ends_on=today)

    fake = tmp_path / "slides.pdf"
    fake.write_bytes(b"this is not a PDF at all")
    add_file = page.locator("form").filter(has=page.get_by_role("heading", name="Add a file"))
    add_file.locator("input[type=file]").set_input_files(str(fake))
    add_file.get_by_label("What the file is").fill("Slides")
    add_file.get_by_role("button", name="Add the file").click()
    add_file = page.locator("form").filter(has=page.get_by_role("heading", name="Add a file"))
    expect(add_file.locator(".field-error")).to_contain_text("the file's content is not .pdf")
    expect(add_file.get_by_label("What the file is")).to_have_value("Slides")
    expect(page.locator("#evidence tbody")).to_contain_text("No evidence yet")
    check_accessibility(page)

    add_link = page.locator("form").filter(has=page.get_by_role("heading", name="Add a link"))
    add_link.get_by_label("What it is").fill("Session slides")
    add_link.get_by_label("Web address").fill("https://example.org/fractions-slides")
    add_link.get_by_role("button", name="Add the link").click()
    expect(page.get_by_role("status")).to_contain_text("Added the link")
    page.reload()
    link = page.locator("#evidence").get_by_role("link", name="Session slides")
    expect(link).to_have_attribute("href", "https://example.org/fractions-slides")
    screenshot(page, "portfolio-activity-evidence")


def test_a_form_sent_twice_records_one_activity(signed_in):
    page = signed_in("teacher")
    page.goto("/portfolio/activities/new")
    title = unique("INSET: retrieval practice")
    today = date.today()
    fill_activity(page, title, starts_on=today, ends_on=today)
    sent = page.evaluate("""() => Object.fromEntries(
        [...new FormData(document.querySelector('form[enctype="multipart/form-data"]')).entries()]
          .filter(([name, value]) => typeof value === "string"))""")
    assert sent["idempotency_key"]

    page.get_by_role("button", name="Record CPD").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    first = page.url
    # The same form sent again (a resend after a lost answer, the back button and send again).
    for _ in range(2):
        again = page.request.post("/portfolio/activities/new", multipart=sent, max_redirects=0)
        assert again.status == 303
        assert again.headers["location"].endswith(first.split("/portfolio", 1)[1])

    page.goto("/portfolio")
    expect(find_in_my_list(page, title)).to_have_count(1)


def test_evaluate_both_layers_and_they_leave_the_due_list(signed_in, check_accessibility, screenshot):
    page = signed_in("teacher")
    title = unique("NPQ module: curriculum")
    ended = date.today() - timedelta(weeks=10)  # past its follow-up too (six weeks after the end)
    activity_url = record_activity(page, title, starts_on=ended - timedelta(days=1), ends_on=ended)

    page.goto("/")
    page.get_by_role("link", name="evaluate now").click()
    expect(page).to_have_url(re.compile(r"/portfolio#due$"))
    due = page.locator("#due")
    mine = due.get_by_role("row").filter(has_text=title)
    expect(mine).to_have_count(2)

    mine.filter(has_text="Straight after").get_by_role("link", name=re.compile("Evaluate")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Evaluate: {title}")
    check_accessibility(page)
    screenshot(page, "portfolio-evaluate")
    page.get_by_role("button", name="Submit my evaluation").click()  # nothing rated yet
    reaction = page.locator("fieldset", has_text="How worthwhile was it?")
    expect(reaction.locator(".field-error")).to_contain_text("is required for the immediate evaluation")
    rate(page, "How worthwhile was it?", 4)
    rate(page, "How much did you learn?", 5)
    page.get_by_label("Comments").fill("Changed how I plan sequences.")
    page.get_by_role("button", name="Submit my evaluation").click()
    expect(page.get_by_role("status")).to_contain_text("is saved")
    expect(page.locator("#due").get_by_role("row").filter(has_text=title)).to_have_count(1)

    page.locator("#due").get_by_role("row").filter(has_text=title).get_by_role(
        "link", name=re.compile("Evaluate")).click()
    expect(page.get_by_text("How much have you used it in your practice?")).to_be_visible()
    rate(page, "How much have you used it", 3)
    page.locator("fieldset", has_text="pupils' outcomes").get_by_text("Not known yet").click()
    page.get_by_role("button", name="Submit my evaluation").click()
    expect(page.get_by_role("status")).to_contain_text("is saved")
    page.reload()
    expect(page.locator("#due").get_by_role("row").filter(has_text=title)).to_have_count(0)

    page.goto(activity_url)
    submitted = page.get_by_role("table").filter(has_text="Stage").locator("tbody tr")
    expect(submitted.filter(has_text="Straight after")).to_contain_text("Worthwhile 4")
    expect(submitted.filter(has_text="Straight after")).to_contain_text("Submitted")
    expect(submitted.filter(has_text="Follow-up")).to_contain_text("Use in practice 3")


def test_request_cpd_then_withdraw_it(signed_in, check_accessibility, screenshot):
    page = signed_in("teacher")
    page.goto("/portfolio")
    page.get_by_role("link", name="Request CPD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request CPD")
    check_accessibility(page)
    screenshot(page, "portfolio-request-new")

    title = unique("Maths hub: mastery in KS1")
    soon = date.today() + timedelta(days=30)
    page.get_by_label("What you want to attend").fill(title)
    page.get_by_label("Type").select_option("course")
    page.get_by_label("Provider").fill("NCETM")
    page.get_by_label("First day").fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_label("Last day").fill(soon.isoformat())
    page.get_by_label("Hours", exact=True).fill("12")
    page.get_by_label("Cost in pounds").fill("240")
    page.get_by_label("Cover will be needed while I am away").check()
    page.get_by_label("Why you want to attend").fill("My objective on early number.")
    page.get_by_role("button", name="Send my request").click()
    first_day = page.locator(".field").filter(has=page.get_by_label("First day"))
    expect(first_day.locator(".field-error")).to_contain_text("must not be in the past")
    expect(page.get_by_label("What you want to attend")).to_have_value(title)
    expect(page.get_by_label("Cost in pounds")).to_have_value("240")

    page.get_by_label("First day").fill(soon.isoformat())
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My CPD requests")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Pending")
    expect(row).to_contain_text("£240.00")
    expect(row).to_contain_text("Needed")
    check_accessibility(page)
    screenshot(page, "portfolio-requests")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=re.compile("Withdraw")).click()
    expect(page.get_by_role("status")).to_contain_text("You withdrew your request")
    page.reload()
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Withdrawn")
    expect(row.get_by_role("button", name=re.compile("Withdraw"))).to_have_count(0)
    page.get_by_label("Status").select_option("withdrawn")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(1)


def test_export_my_portfolio_downloads_it(signed_in, check_accessibility, screenshot):
    page = signed_in("teacher")
    page.goto("/portfolio")
    page.get_by_role("link", name="Export my portfolio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export my portfolio")
    expect(page.locator("ul.pf-held")).to_contain_text("CPD activities")
    check_accessibility(page)
    screenshot(page, "portfolio-export")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as a page (HTML)").click()
    html = Path(downloading.value.path()).read_text()
    assert downloading.value.suggested_filename.endswith(".html")
    assert "Professional learning portfolio" in html

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as data (JSON)").click()
    held = json.loads(Path(downloading.value.path()).read_text())
    assert downloading.value.suggested_filename.endswith(".json")
    assert held["activities"], "the demo teacher's activities are in the export"

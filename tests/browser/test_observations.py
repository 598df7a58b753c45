"""Observations in a real browser, at a phone's width: a headteacher records a drop-in on the
trust's form by tapping rating chips and finds it among the records they made; the teacher reads
it, responds, acknowledges (once) and completes its action step; a drop-in sent with no
connection is kept on the device, sent when the connection is back and makes exactly one record,
however often the kept request is replayed; a required rating left out is named beside its item;
a headteacher observed by the trust lets a colleague see her developmental record."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.support import display_name, me, unique

PHONE = {"width": 360, "height": 740}
RECORD_PAGE = re.compile(r"/observations/[0-9a-f-]{36}$")
TRUST_FORM = "Developmental drop-in"  # the demo trust's published drop-in form
RATED = "High expectations for every pupil"  # one of its rating items
NOTE_ITEM = "What went well"  # its required free-text item
KEPT_ITEMS = """() => new Promise((resolve, reject) => {
  const opened = indexedDB.open("canopy-offline", 1);
  opened.onupgradeneeded = () => opened.result.createObjectStore("drop-ins", { keyPath: "key" });
  opened.onerror = () => reject(opened.error);
  opened.onsuccess = () => {
    const read = opened.result.transaction("drop-ins").objectStore("drop-ins").getAll();
    read.onsuccess = () => { opened.result.close(); resolve(read.result); };
    read.onerror = () => reject(read.error);
  };
})"""
# The request the service worker replays, sent from the page as the worker sends it.
REPLAY = """async (item) => {
  const answer = await fetch(item.url, { method: "POST", body: item.body, credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Offline-Replay": "1" } });
  return answer.status;
}"""


def person(platform, who: str) -> tuple[str, dict]:
    """A demo login's access token and identity record, with the name the pages show."""
    token = platform.token(who)
    found = me(platform, token)
    return token, {**found, "name": display_name(found)}


def records_with_note(platform, token, observer_id: str, observee_id: str, note: str) -> list[str]:
    """The ids of the observer's records about the observee whose responses hold ``note``."""
    answer = platform.api("GET", "observation", "/v1/records", token=token,
                          params={"observer_id": observer_id, "observee_id": observee_id, "page_size": 200})
    assert answer.status_code == 200, answer.text
    found = []
    for record in answer.json()["items"]:
        detail = platform.api("GET", "observation", f"/v1/records/{record['id']}", token=token).json()
        if any(item["response"] == note for section in detail["sections"] for item in section["items"]):
            found.append(record["id"])
    return found


def open_drop_in_form(page, teacher: str, form: str = TRUST_FORM, school: str | None = None) -> None:
    page.goto("/observations/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a drop-in")
    if school:  # the school's staff and forms come in place of the first school's, without a page load
        page.locator("#drop-in-setup").evaluate("(setup) => { setup.dataset.before = 'yes'; }")
        page.get_by_label("School", exact=True).select_option(label=school)
        expect(page.locator("#drop-in-setup[data-before]")).to_have_count(0)
        expect(page.get_by_label("Teacher", exact=True).locator("option", has_text=teacher)).to_have_count(1)
    page.get_by_label("Teacher", exact=True).select_option(label=teacher)
    choice = page.get_by_label("Form", exact=True)
    if choice.locator("option:checked").inner_text() != form:
        choice.select_option(label=form)
    # The form's items are swapped in without a page load: they are the chosen form's.
    expect(page.locator("#drop-in-items input[name=template_id]")).to_have_value(choice.input_value())


def tap(page, item: str, choice: str) -> None:
    page.get_by_role("group", name=item).get_by_text(choice, exact=True).click()
    expect(page.get_by_role("group", name=item).get_by_role("radio", name=choice, exact=True)).to_be_checked()


def save(page) -> str:
    """Send the drop-in form; the address of the record it made."""
    page.get_by_role("button", name="Save the drop-in").click()
    page.wait_for_url(RECORD_PAGE)  # the record is made, then its page is read: give it the time it takes
    expect(page.get_by_role("status").filter(has_text="Drop-in saved.")).to_be_visible()
    return RECORD_PAGE.search(page.url).group(0)


def find_record_link(page, href: str):
    """The link to a record in a list, turning the pages as a person would."""
    link = page.locator(f'.record-list a[href="{href}"]')
    while not link.count():
        following = page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next")
        if not following.count():
            break
        following.click()
    return link


def test_a_headteacher_records_a_drop_in_by_tapping_chips_and_the_teacher_responds(
        platform, signed_in, check_accessibility, screenshot):
    (head_token, head), (teacher_token, teacher) = person(platform, "headteacher"), person(platform, "teacher")
    note, step = unique("Pupils explained their thinking"), unique("Try a hinge question")

    page = signed_in("headteacher")
    page.set_viewport_size(PHONE)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Record a drop-in").click()
    open_drop_in_form(page, teacher["name"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # one column, no sideways scroll
    tap(page, RATED, "Secure")
    tap(page, "Modelling and worked examples", "Developing")
    tap(page, "Modelling and worked examples", "Exemplary")  # a second tap changes the rating
    page.get_by_label(NOTE_ITEM).fill(note)
    page.get_by_label("Step 1").fill(step)
    page.locator("label[for=field-privacy-developmental]").click()
    check_accessibility(page)
    screenshot(page, "observations-new")
    record_url = save(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Drop-in, ")
    expect(page.get_by_role("term").filter(has_text=RATED).locator("xpath=..")).to_contain_text("Secure")
    expect(page.get_by_role("term").filter(has_text="Modelling and worked examples").locator("xpath=.."))\
        .to_contain_text("Exemplary")
    expect(page.locator("main")).to_contain_text(note)
    expect(page.locator("main")).to_contain_text("Shared, not yet acknowledged")
    check_accessibility(page)
    screenshot(page, "observations-record-observer")

    page.goto("/observations/made")
    expect(find_record_link(page, record_url)).to_have_count(1)
    check_accessibility(page)
    screenshot(page, "observations-made")
    assert len(records_with_note(platform, head_token, head["person_id"], teacher["person_id"], note)) == 1

    as_teacher = signed_in("teacher")
    as_teacher.set_viewport_size(PHONE)
    as_teacher.get_by_role("navigation", name="Main").get_by_role("link", name="My observations").click()
    expect(as_teacher.get_by_role("heading", level=1)).to_have_text("My observations")
    check_accessibility(as_teacher)
    screenshot(as_teacher, "observations-mine")
    find_record_link(as_teacher, record_url).click()
    expect(as_teacher.locator("main")).to_contain_text(note)
    expect(as_teacher.get_by_role("heading", name="Your response")).to_be_visible()
    response = unique("I will plan the hinge question into Monday's lesson")
    as_teacher.get_by_role("textbox", name="Your response").fill(response)
    as_teacher.get_by_role("button", name="Acknowledge").click()
    expect(as_teacher.get_by_role("status").filter(has_text="record acknowledged")).to_be_visible()
    expect(as_teacher.locator("main")).to_contain_text(response)
    expect(as_teacher.locator("main")).to_contain_text("Acknowledged on")
    expect(as_teacher.get_by_role("button", name="Acknowledge")).to_have_count(0)  # once

    as_teacher.get_by_role("button", name=f"Mark “{step[:37]}").click()
    expect(as_teacher.get_by_role("status").filter(has_text="Action step marked complete.")).to_be_visible()
    expect(as_teacher.locator("ul.steps li").filter(has_text=step)).to_contain_text("Completed")
    check_accessibility(as_teacher)
    screenshot(as_teacher, "observations-record-observee")

    record_id = record_url.rsplit("/", 1)[1]
    stored = platform.api("GET", "observation", f"/v1/records/{record_id}", token=head_token).json()
    assert stored["status"] == "acknowledged" and stored["observee_response"] == response
    assert [s["status"] for s in stored["action_steps"]] == ["completed"]

    # The teacher sees who observed her, and lets her line manager see this developmental record
    # by the manager's work email (a teacher may not list the staff directory).
    expect(as_teacher.locator("main")).to_contain_text(head["name"])
    manager_email = platform.logins["line manager"]
    manager_token = platform.token("line manager")
    assert platform.api("GET", "observation", f"/v1/records/{record_id}", token=manager_token).status_code == 404
    sharing = as_teacher.locator("section").filter(has=as_teacher.get_by_role("heading", name="Who else can see it"))
    email_box = sharing.get_by_role("textbox", name=re.compile("work email"))
    email_box.fill("nobody-" + unique("x").replace(" ", "") + "@elsewhere.example.org")
    as_teacher.get_by_role("button", name="Let them see it").click()
    expect(as_teacher.locator("#field-email-error")).to_contain_text("no one in your trust has this email")
    as_teacher.locator("section").filter(has=as_teacher.get_by_role("heading", name="Who else can see it"))\
        .get_by_role("textbox", name=re.compile("work email")).fill(manager_email)
    as_teacher.get_by_role("button", name="Let them see it").click()
    expect(as_teacher.get_by_role("status").filter(has_text="Your colleague can now see this record.")).to_be_visible()
    manager_name = display_name(me(platform, manager_token))
    expect(as_teacher.locator("section").filter(has=as_teacher.get_by_role("heading", name="Who else can see it")))\
        .to_contain_text(manager_name)
    check_accessibility(as_teacher)
    assert platform.api("GET", "observation", f"/v1/records/{record_id}", token=manager_token).status_code == 200


def test_a_drop_in_sent_offline_is_kept_on_the_device_and_sent_once_when_back_online(
        platform, signed_in, check_accessibility, screenshot):
    (head_token, head), (teacher_token, teacher) = person(platform, "headteacher"), person(platform, "teacher")
    note = unique("Sent with no connection")

    page = signed_in("headteacher")
    page.set_viewport_size(PHONE)
    open_drop_in_form(page, teacher["name"])
    # The service worker that keeps drop-ins is installed before the connection goes.
    expect(page.locator("html[data-offline-ready=yes]")).to_have_count(1)
    expect(page.get_by_text("Kept on this device if the connection drops")).to_be_visible()
    tap(page, RATED, "Developing")
    page.get_by_label(NOTE_ITEM).fill(note)

    page.context.set_offline(True)
    page.get_by_role("button", name="Save the drop-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved on this device")
    expect(page.get_by_role("status").filter(has_text="Saved on this device, it will be sent when you are back online"))\
        .to_be_visible()
    expect(page.locator("[data-queue-count]")).to_have_text("1 drop-in waiting to be sent")
    expect(page.locator("[data-queue-list]")).to_contain_text(f"Drop-in for {teacher['name']}")
    check_accessibility(page)
    screenshot(page, "observations-saved-offline")
    [kept] = [item for item in page.evaluate(KEPT_ITEMS) if note in item["body"].replace("+", " ")]
    assert "csrf_token=" in kept["body"] and "idempotency_key=" in kept["body"] and kept["state"] == "waiting"
    assert records_with_note(platform, head_token, head["person_id"], teacher["person_id"], note) == []

    page.context.set_offline(False)
    # The kept request replayed twice from the page, as a worker that lost the first answer would
    # send it again: the same Idempotency-Key, so the same one record.
    assert [page.evaluate("(item) => (" + REPLAY + ")(item)", kept) for _ in range(2)] == [201, 201]
    page.goto("/observations/made")  # the next page load sends whatever is still waiting
    page.wait_for_function("""() => new Promise(resolve => navigator.serviceWorker.ready.then(registration => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data.items.length === 0);
      registration.active.postMessage({ type: "queue", owner: "" }, [channel.port2]);
    }))""")
    made = records_with_note(platform, head_token, head["person_id"], teacher["person_id"], note)
    assert len(made) == 1, made
    page.reload()
    expect(find_record_link(page, f"/observations/{made[0]}")).to_have_count(1)
    check_accessibility(page)

    # Once sent, the worker's own replay of the same kept request (were it still queued) changes nothing.
    assert page.evaluate("(item) => (" + REPLAY + ")(item)", kept) == 201
    assert records_with_note(platform, head_token, head["person_id"], teacher["person_id"], note) == made


def test_a_required_rating_left_out_is_named_beside_its_item(platform, signed_in, check_accessibility, screenshot):
    admin_token = platform.token("trust admin")
    _, teacher = person(platform, "teacher")
    form_name = unique("Quick check")
    created = platform.api("POST", "observation", "/v1/templates", token=admin_token, json={
        "name": form_name, "sections": [{"title": "Seen today", "items": [
            {"id": "routines", "kind": "rating", "label": "Routines for learning", "required": True,
             "scale": [{"value": 1, "label": "Not yet"}, {"value": 2, "label": "Mostly"}, {"value": 3, "label": "Always"}]},
            {"id": "seen", "kind": "checklist", "label": "Seen in the room",
             "options": [{"value": "retrieval", "label": "Retrieval starter"}, {"value": "vocabulary", "label": "Key vocabulary"}]},
            {"id": "comment", "kind": "text", "label": "Comment"}]}]})
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    published = platform.api("POST", "observation", f"/v1/templates/{template_id}/publish", token=admin_token)
    assert published.status_code == 200, published.text
    comment = unique("Calm start")

    page = signed_in("headteacher")
    page.set_viewport_size(PHONE)
    open_drop_in_form(page, teacher["name"], form_name)
    page.get_by_role("group", name="Seen in the room").get_by_text("Retrieval starter").click()
    page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Save the drop-in").click()

    item = page.get_by_role("group", name="Routines for learning")
    expect(item.locator(".field-error")).to_have_text("Error: is required")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Routines for learning: is required")  # named as the page names it
    expect(summary.get_by_role("link", name="Routines for learning")).to_have_attribute("href", "#field-responses-routines")
    # What was chosen and typed is still there, on the same form.
    expect(page.get_by_role("group", name="Seen in the room").get_by_role("checkbox", name="Retrieval starter")).to_be_checked()
    expect(page.get_by_label("Comment")).to_have_value(comment)
    expect(page.get_by_label("Teacher", exact=True).locator("option:checked")).to_have_text(teacher["name"])
    check_accessibility(page)
    screenshot(page, "observations-new-error")

    tap(page, "Routines for learning", "Mostly")
    save(page)
    expect(page.get_by_role("term").filter(has_text="Routines for learning").locator("xpath=..")).to_contain_text("Mostly")
    expect(page.get_by_role("term").filter(has_text="Seen in the room").locator("xpath=..")).to_contain_text("Retrieval starter")


def test_a_headteacher_observed_by_the_trust_lets_a_colleague_see_her_developmental_record(
        platform, signed_in, check_accessibility, screenshot):
    (head_token, head), (teacher_token, teacher) = person(platform, "headteacher"), person(platform, "teacher")
    [school] = {job["school_name"] for job in head["employments"] if not job["ends_on"]}
    note = unique("A calm, purposeful start")

    leader = signed_in("trust leader")
    leader.set_viewport_size(PHONE)
    open_drop_in_form(leader, head["name"], school=school)
    leader.get_by_label(NOTE_ITEM).fill(note)
    record_url = save(leader)
    record_id = record_url.rsplit("/", 1)[1]

    # A developmental record: the teacher cannot open it yet.
    assert platform.api("GET", "observation", f"/v1/records/{record_id}", token=teacher_token).status_code == 404

    page = signed_in("headteacher")
    page.goto(record_url)
    expect(page.locator("main")).to_contain_text(note)
    expect(page.get_by_role("heading", name="Who else can see it")).to_be_visible()
    page.get_by_label("Let a colleague see it").select_option(label=teacher["name"])
    page.get_by_role("button", name="Let them see it").click()
    expect(page.get_by_role("status").filter(has_text="Your colleague can now see this record.")).to_be_visible()
    expect(page.locator("section").filter(has=page.get_by_role("heading", name="Who else can see it")))\
        .to_contain_text(teacher["name"])
    check_accessibility(page)
    screenshot(page, "observations-record-shared")

    shared = platform.api("GET", "observation", f"/v1/records/{record_id}", token=teacher_token)
    assert shared.status_code == 200 and shared.json()["privacy"] == "developmental"
    as_teacher = signed_in("teacher")
    as_teacher.goto(record_url)
    expect(as_teacher.locator("main")).to_contain_text(note)
    expect(as_teacher.get_by_role("heading", name="The teacher's response")).to_be_visible()

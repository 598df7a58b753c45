"""Everyone's journeys through the account pages, on the whole platform: each demo login's home
page, a wrong password, signing out and back in to where one was, CSRF and the security headers,
the profile and its password form, who read my records, and an invitation and a password reset
followed from the mail identity wrote."""
from __future__ import annotations

import re
import time
import uuid

from playwright.sync_api import expect

from tests.browser import support

NEW_PASSWORD = "a-long-new-browser-password"


def _slug(who: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")


def _me(platform, who: str) -> dict:
    return platform.api("GET", "identity", "/v1/me", token=platform.token(who)).json()


def _invite(platform) -> tuple[str, str, float]:
    """Someone new, added and invited by the trust admin through identity's API: (email, given
    name, when the invitation was asked for)."""
    given, email = f"Rowan{uuid.uuid4().hex[:6]}", f"browser-{uuid.uuid4().hex[:10]}@brightpath.example.org"
    asked = time.time()
    answer = platform.api("POST", "identity", "/v1/people", token=platform.token("trust admin"),
                          headers={"Idempotency-Key": str(uuid.uuid4())},
                          json={"given_name": given, "family_name": "Ashdown", "email": email, "invite": True})
    assert answer.status_code == 201, answer.text
    return email, given, asked


def _field(page, label: str):
    """The field wrapper holding the control of that label (its reason is shown inside it)."""
    return page.locator(".field").filter(has=page.get_by_label(label, exact=True))


def test_every_demo_login_signs_in_to_a_home_page_that_names_them(platform, signed_in, check_accessibility,
                                                                  screenshot):
    assert {"teacher", "headteacher", "CPD lead", "trust leader", "trust admin"} <= set(platform.logins)
    for who in platform.logins:
        me = _me(platform, who)
        page = signed_in(who)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {me['preferred_name'] or me['given_name']}")
        lead = page.locator("p.lead")
        expect(lead).to_contain_text(me["trust"]["name"])
        for job in me["employments"]:
            if not job.get("ends_on"):
                expect(lead).to_contain_text(job["school_name"])
        menu = page.get_by_role("navigation", name="Main")
        expect(menu.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("link", name="My profile")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        check_accessibility(page)
        screenshot(page, f"home-{_slug(who)}")
        page.context.close()


def test_a_wrong_password_shows_the_apis_message_and_keeps_the_email(platform, new_page, check_accessibility):
    email = platform.logins["teacher"]
    page = new_page()
    support.sign_in(page, email, "not-the-password-at-all")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("email or password is incorrect")  # identity's own words
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    check_accessibility(page)
    # The right password then works from the same form (and clears the failure identity counted).
    page.get_by_label("Password", exact=True).fill(platform.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(platform.base_url + "/")


def test_after_signing_out_a_protected_page_asks_to_sign_in_and_then_opens(platform, signed_in):
    page = signed_in("teacher")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_role("link", name="My profile")).to_have_count(0)
    page.goto("/me/access")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)me(/|%2F)access$"))
    page.get_by_label("Email").fill(platform.logins["teacher"])
    page.get_by_label("Password", exact=True).fill(platform.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(platform.base_url + "/me/access")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has read my records")


def test_a_next_to_another_site_is_ignored(platform, new_page):
    page = new_page()
    page.goto("/sign-in?next=//evil.example/steal")
    expect(page.locator('input[name="next"]')).to_have_count(0)
    page.get_by_label("Email").fill(platform.logins["teacher"])
    page.get_by_label("Password", exact=True).fill(platform.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(platform.base_url + "/")


def test_a_form_sent_without_its_csrf_token_is_refused(platform, signed_in):
    page = signed_in("teacher")
    page.goto("/me")
    body = {"current_password": "not-my-password", "new_password": NEW_PASSWORD}
    # From the page itself (same origin, the session's cookie), with no token and with a wrong one.
    for extra in ({}, {"csrf_token": "forged"}):
        status = page.evaluate(
            "async (body) => (await fetch('/me/password', {method: 'POST', body: new URLSearchParams(body)})).status",
            {**body, **extra})
        assert status == 400, f"a POST with {extra or 'no token'} answered {status}"
    # From another site: refused before the token is looked at.
    refused = page.request.post("/me/password", form={**body, "csrf_token": _csrf(page)},
                                headers={"Origin": "https://evil.example"}, max_redirects=0)
    assert refused.status == 403
    # With the page's own token the form is taken (and identity answers about the password).
    taken = page.evaluate(
        "async (body) => (await fetch('/me/password', {method: 'POST', body: new URLSearchParams(body)})).status",
        {**body, "csrf_token": _csrf(page)})
    assert taken == 422
    assert platform.token("teacher")  # nothing changed: the demo password still signs in


def _csrf(page) -> str:
    return page.locator('meta[name="csrf-token"]').get_attribute("content")


def test_pages_send_the_security_headers_and_a_strict_session_cookie(platform, new_page, signed_in):
    anonymous = new_page()
    pages = [("/sign-in", anonymous), ("/reset-password", anonymous), ("/no-such-page", anonymous)]
    page = signed_in("teacher")
    pages += [("/", page), ("/me", page), ("/me/access", page), ("/nowhere", page)]
    for path, tab in pages:
        response = tab.goto(path)
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        assert policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, (path, policy)
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, (path, policy)
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin"), path
        assert "no-store" in headers.get("cache-control", ""), path
    [cookie] = [c for c in page.context.cookies() if c["name"] == "canopy_session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("canopy_session") == -1  # no script can read it


def test_the_profile_shows_the_persons_schools_and_roles(platform, signed_in, check_accessibility, screenshot):
    me = _me(platform, "headteacher")
    page = signed_in("headteacher")
    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(me["family_name"])
    expect(page.locator("p.lead")).to_contain_text(me["email"])
    schools = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="School"))
    assert me["employments"], "the demo headteacher works somewhere"
    for job in me["employments"]:
        expect(schools.get_by_role("row").filter(has_text=job["school_name"])).to_contain_text(job["job_title"])
    expect(page.get_by_role("listitem").filter(has_text="Headteacher")).not_to_have_count(0)
    check_accessibility(page)
    screenshot(page, "profile-headteacher")


def test_a_wrong_current_password_is_shown_beside_the_field(platform, signed_in, check_accessibility):
    page = signed_in("teacher")
    page.goto("/me")
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    current = _field(page, "Current password")
    expect(current.locator(".field-error")).to_contain_text("is not your current password")
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Current password")).to_have_value("")  # a password is never sent back
    expect(_field(page, "New password").locator(".field-error")).to_have_count(0)
    check_accessibility(page)
    assert platform.token("teacher")  # unchanged


def test_who_read_my_records_names_the_leader_who_read_them(platform, signed_in, check_accessibility, screenshot):
    teacher, head = _me(platform, "teacher"), _me(platform, "headteacher")
    reader_token = platform.token("headteacher")
    read = platform.api("GET", "portfolio", f"/v1/people/{teacher['person_id']}/activities", token=reader_token,
                        params={"page_size": 1})
    assert read.status_code == 200 and read.json()["items"], "the demo teacher has activities their head can read"
    page = signed_in("teacher")
    page.goto("/me")
    page.get_by_role("link", name="Who has read my records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has read my records")
    head_name = support.display_name(head)
    reads = page.get_by_role("table").get_by_role("row").filter(has_text=head_name)
    expect(reads.filter(has_text="CPD activity").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "access-log-teacher")


def test_an_invitation_mailed_by_identity_sets_a_password_that_signs_in(platform, new_page, check_accessibility):
    email, given, asked = _invite(platform)
    link = platform.link_mailed_to(email, after=asked)
    assert "/accept-invitation?token=" in link
    page = new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Canopy")
    check_accessibility(page)
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Set my password").click()
    expect(_field(page, "New password").locator(".field-error")).to_be_visible()  # identity's rule, beside it
    _choose_password_and_sign_in(platform, page, "Set my password", NEW_PASSWORD, "Your password is set", email, given)
    # The link worked once.
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("New password").fill(NEW_PASSWORD + "-again")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_a_password_reset_from_the_sign_in_page_sets_a_password_that_signs_in(platform, new_page,
                                                                              check_accessibility, screenshot):
    email, given, asked = _invite(platform)
    accepted = platform.api("POST", "identity", "/v1/auth/invitations/accept",
                            json={"token": _token_of(platform.link_mailed_to(email, after=asked)),
                                  "password": NEW_PASSWORD})
    assert accepted.status_code in (200, 204), accepted.text
    page = new_page()
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_accessibility(page)
    asked = time.time()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(email)
    link = platform.link_mailed_to(email, after=asked)
    assert "/reset-password?token=" in link
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    screenshot(page, "reset-password")
    _choose_password_and_sign_in(platform, page, "Change my password", NEW_PASSWORD + "-reset",
                                 "Your password is changed", email, given)
    old = platform.api("POST", "identity", "/v1/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert old.status_code == 401  # the password before the reset no longer signs in


def _choose_password_and_sign_in(platform, page, button: str, password: str, notice: str, email: str, given: str):
    """The form a mailed link opens: the new password, then back at sign-in, which it opens."""
    page.get_by_label("New password").fill(password)
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_role("status")).to_contain_text(notice)
    support.sign_in(page, email, password)
    expect(page).to_have_url(platform.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {given}")


def _token_of(link: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(link).query)["token"][0]

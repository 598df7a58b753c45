"""The dashboards on the whole platform: the trust leader's overview and every report, their
filters and their tables held to reporting's own answers for the same filters, the CSV that is the
API's file, blanked figures said as "not shown", a headteacher's view of their own school only,
a CPD lead finding the dashboards in the menu, and a teacher refused with reporting's own words."""
from __future__ import annotations

from collections import Counter

import re
import time
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

REPORTS = {"cpd": "CPD hours and spend", "cpd-types": "CPD by type", "impact": "CPD impact",
           "cpd-requests": "CPD requests", "observations": "Observation profiles", "participation": "Participation"}
CONSISTENT_WITHIN = 20.0  # s: reporting catches up with events other tests' writes published


# -- the API's side, through the page's own request context ---------------------------------------
def _token(page, platform, who: str) -> str:
    answer = page.request.post("/api/identity/v1/auth/login",
                               data={"email": platform.logins[who], "password": platform.password})
    assert answer.status == 200, answer.text()
    return answer.json()["access_token"]


def _api(page, token: str, report: str, **params):
    return page.request.get(f"/api/reporting/v1/reports/{report}", params={k: v for k, v in params.items() if v},
                            headers={"Authorization": f"Bearer {token}"})


def _report(page, token: str, report: str, **params) -> dict:
    answer = _api(page, token, report, **params)
    assert answer.status == 200, answer.text()
    return answer.json()


# -- how the page should write reporting's figures (said independently of the client's code) ------
def _figure(value, kind: str, row: dict) -> str:
    if value is None:
        return "not shown" if row["suppressed"] else "no data"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "hours":
        text = f"{value:,.1f}"
        return text[:-2] if text.endswith(".0") else text
    if kind == "money":
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    if kind == "share":
        return f"{value * 100:.0f}%"
    return f"{value:.2f}"  # a mean


COLUMNS = {
    "cpd": (("people", "count"), ("activities", "count"), ("hours", "hours"), ("hours_per_person", "hours"),
            ("cost", "money"), ("cover", "count"), ("external_share", "share")),
    "participation": (("staff", "count"), ("observed", "count"), ("observed_share", "share"), ("records", "count"),
                      ("open_action_steps", "count"), ("with_cpd", "count"), ("cpd_share", "share")),
    "impact": (("evaluations", "count"), ("people", "count"), ("reaction", "mean"), ("learning", "mean"),
               ("use_in_practice", "mean"), ("pupil_outcomes", "mean")),
    "observations": (("ratings", "count"), ("people", "count"), ("mean", "mean"), ("strong_share", "share"),
                     ("developing_share", "share")),
}


def _code_order(row: dict):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", row.get("code") or "")]


def _expected(report: str, body: dict, *, per_school: bool = False) -> list[list[str]]:
    """The table the page should show for this answer, row by row (``per_school``: rows named by
    school, as the observation profile of one principle is)."""
    rows = body["rows"]
    if report == "impact":
        rows = [row for row in rows if row["stage"] == "follow_up"]  # the page's default stage
    if report == "observations" and not per_school:
        total = next((row["school_id"] for row in rows if row["school_id"] == "all"), rows[0]["school_id"] if rows else None)
        rows = sorted((row for row in rows if row["school_id"] == total), key=_code_order)
        return [[f"{row['code']} {row['title']}", *(_figure(row[k], kind, row) for k, kind in COLUMNS[report])]
                for row in rows]
    return [[row["school_name"], *(_figure(row[k], kind, row) for k, kind in COLUMNS[report])] for row in rows]


def _table(page) -> list[list[str]]:
    """The table's rows as text; the "nothing recorded" line of an empty answer is no row."""
    body = page.locator("#dash-result table tbody tr").filter(has_not=page.locator("td[colspan]"))
    return [[text.strip() for text in row.locator("th, td").all_inner_texts()] for row in body.all()]


def _consistent(page, fetch, expect_rows, *, reload: bool = True) -> dict:
    """The page's table against the API's answer, read again until they agree (reporting may still
    be taking in events another test's writes published): the answer they agreed on."""
    deadline = time.monotonic() + CONSISTENT_WITHIN
    while True:
        answer = fetch()
        shown = _table(page)
        wanted = expect_rows(answer)
        if shown == wanted or time.monotonic() > deadline:
            assert shown == wanted, f"the table on {page.url} is not the API's answer"
            return answer
        if reload:
            page.reload()


def _field(page, label: str):
    return page.locator(".field").filter(has=page.get_by_label(label, exact=True))


# -- the journeys --------------------------------------------------------------------------------
def test_the_trust_leader_glances_at_every_report_then_opens_each(platform, signed_in, check_accessibility,
                                                                  screenshot):
    page = signed_in("trust leader")
    token = _token(page, platform, "trust leader")
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Dashboards").click()
    expect(page).to_have_url(re.compile(r"/dashboards$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    cpd = _report(page, token, "cpd")
    expect(page.locator("p.lead")).to_contain_text(cpd["year_label"])
    expect(page.get_by_label("School year")).to_have_value(str(cpd["year"]))
    for name, title in REPORTS.items():
        card = page.locator("section.dash-card").filter(has=page.get_by_role("heading", name=title))
        expect(card).to_have_count(1)
        expect(card.locator("svg[role=img]")).to_have_attribute("aria-label", re.compile(r"\S"))
    # The headline hours are the trust row's, as reporting gives them.
    trust = next(row for row in cpd["rows"] if row["school_id"] == "all")
    hours = page.locator("section.dash-card").filter(has=page.get_by_role("heading", name="CPD hours and spend"))
    expect(hours.locator(".dash-figures div").filter(has_text="Hours").locator("dd")).to_have_text(
        _figure(trust["hours"], "hours", trust))
    check_accessibility(page)
    screenshot(page, "dashboards-overview")

    for name, title in REPORTS.items():
        page.goto("/dashboards")
        page.get_by_role("link", name=f"Open {title}").click()
        expect(page).to_have_url(re.compile(rf"/dashboards/{name}$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        chart = page.locator("#dash-result svg[role=img]")
        expect(chart).to_have_count(1)
        expect(chart).to_have_attribute("aria-label", re.compile(r"table"))
        body = _report(page, token, name)
        expect(page.locator("#dash-result caption")).to_contain_text(body["year_label"])
        if name in COLUMNS:
            _consistent(page, lambda: _report(page, token, name), lambda answer: _expected(name, answer))
        else:
            # Pivoted per school: one row per school of the answer, the trust's last.
            names = list(dict.fromkeys(row["school_name"] for row in body["rows"]))
            assert [row[0] for row in _table(page)] == names
        expect(page.get_by_role("link", name=re.compile("^Download CSV"))).to_be_visible()
        check_accessibility(page)
        screenshot(page, f"dashboards-{name}")


def test_year_school_and_phase_filters_show_what_the_api_gives_for_them(platform, signed_in, check_accessibility,
                                                                          screenshot):
    page = signed_in("trust leader")
    token = _token(page, platform, "trust leader")
    page.goto("/dashboards/cpd")
    this_year = int(page.get_by_label("School year").input_value())
    schools = [(option.get_attribute("value"), option.inner_text())
               for option in page.get_by_label("School", exact=True).locator("option").all()
               if option.get_attribute("value")]
    assert len(schools) > 1
    last_year = str(this_year - 1)
    school_id, school_name = schools[0]

    page.get_by_label("School year").select_option(last_year)
    page.get_by_label("School", exact=True).select_option(school_id)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"year={last_year}.*school_id={school_id}"))
    expect(page.locator("#dash-result caption")).to_contain_text(f"{this_year - 1}-{this_year % 100:02d}")
    answer = _consistent(page, lambda: _report(page, token, "cpd", year=last_year, school_id=school_id),
                         lambda body: _expected("cpd", body))
    assert [row["school_name"] for row in answer["rows"]] in ([school_name], [])
    expect(page.get_by_role("rowheader", name="All schools")).to_have_count(0)

    # The address is the view: opened afresh (no htmx), it shows the same.
    page.goto(page.url)
    expect(page.get_by_label("School year")).to_have_value(last_year)
    expect(page.get_by_label("School", exact=True)).to_have_value(school_id)
    assert _table(page) == _expected("cpd", _report(page, token, "cpd", year=last_year, school_id=school_id))

    # One phase: only that phase's schools, and no trust-wide row (a filtered answer is a selection).
    # A phase whose schools recorded CPD this year (the trust's phases include some that may not).
    whole_year = _report(page, token, "cpd", year=str(this_year))
    phases_with_cpd = Counter(row["phase"] for row in whole_year["rows"] if row.get("phase"))
    phase = phases_with_cpd.most_common(1)[0][0]
    assert page.get_by_label("Phase").locator(f"option[value='{phase}']").count() == 1
    page.get_by_label("School", exact=True).select_option("")
    page.get_by_label("Phase").select_option(phase)
    page.get_by_label("School year").select_option(str(this_year))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"phase={phase}"))
    phased = _consistent(page, lambda: _report(page, token, "cpd", year=str(this_year), phase=phase),
                         lambda body: _expected("cpd", body))
    assert phased["rows"] and {row["phase"] for row in phased["rows"]} == {phase}

    # The report's own filter (what the chart shows) changes the chart, not the figures.
    page.get_by_label("Chart shows").select_option("cost")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#dash-result svg[role=img]")).to_have_attribute("aria-label", re.compile("^CPD spend per school"))
    assert parse_qs(urlsplit(page.url).query)["measure"] == ["cost"]
    check_accessibility(page)
    screenshot(page, "dashboards-cpd-filtered")

    # Participation follows the same filters.
    page.goto(f"/dashboards/participation?year={this_year}&school_id={school_id}")
    _consistent(page, lambda: _report(page, token, "participation", year=str(this_year), school_id=school_id),
                lambda body: _expected("participation", body))


def test_the_csv_download_is_the_apis_file_for_the_same_filters(platform, signed_in):
    page = signed_in("trust leader")
    token = _token(page, platform, "trust leader")
    for name in ("cpd", "observations"):
        page.goto(f"/dashboards/{name}")
        year = page.get_by_label("School year").input_value()
        with page.expect_download() as downloading:
            page.get_by_role("link", name=re.compile("^Download CSV")).click()
        download = downloading.value
        expected = _api(page, token, name, year=year, format="csv")
        assert expected.status == 200
        disposition = expected.headers["content-disposition"]
        assert download.suggested_filename == re.search(r'filename="([^"]+)"', disposition).group(1)
        assert download.suggested_filename == f"{name}-{int(year)}-{(int(year) + 1) % 100:02d}.csv"
        with open(download.path(), "rb") as handle:
            assert handle.read() == expected.body()
    # Filtered, the file is the filtered one too.
    school_id = page.get_by_label("School", exact=True).locator("option").nth(1).get_attribute("value")
    answer = page.request.get(f"/dashboards/cpd/csv?school_id={school_id}")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.body() == _api(page, token, "cpd", school_id=school_id, format="csv").body()
    lines = answer.text().strip().splitlines()
    assert lines[0].startswith("school_id,school_name,phase,suppressed,people")
    assert all(line.startswith(school_id) for line in lines[1:])


def _chart_rows_not_shown(page, name: str) -> list[list[int]]:
    """For each row of the chart about ``name`` whose figure is not shown: [hatched bands, bars]."""
    return page.evaluate("""(name) => [...document.querySelectorAll('#dash-result svg g.dash-row')]
        .map(g => [g, g.querySelector(':scope > title').textContent])
        .filter(([g, title]) => title.startsWith(name) && title.endsWith('not shown'))
        .map(([g]) => [g.querySelectorAll('rect.dash-hidden').length, g.querySelectorAll('rect.dash-bar').length])""",
                         name)


def test_figures_about_too_few_people_are_said_to_be_not_shown_never_zero(platform, signed_in, check_accessibility):
    page = signed_in("trust leader")
    token = _token(page, platform, "trust leader")
    # Observations of one principle per school: the demo's small primaries have too few ratings.
    body = _report(page, token, "observations")
    blanked = [row for row in body["rows"] if row["suppressed"] and row["school_id"] not in ("all", "none")]
    assert blanked, "the demo has small schools whose observation ratings reporting blanks"
    principle = blanked[0]["principle_id"]
    page.goto(f"/dashboards/observations?principle={principle}")
    answer = _consistent(page, lambda: _report(page, token, "observations"), lambda whole: _expected(
        "observations", {**whole, "rows": [row for row in whole["rows"] if row["principle_id"] == principle]},
        per_school=True))
    note = page.locator("#dash-result .dash-hidden-note")
    expect(note).to_contain_text(f"Fewer than {body['min_group_size']} people: not shown.")
    hidden = [row for row in answer["rows"] if row["principle_id"] == principle and row["suppressed"]]
    assert hidden
    for row in hidden:
        expect(note).to_contain_text(row["school_name"])
        cells = page.locator("#dash-result tbody tr").filter(
            has=page.get_by_role("rowheader", name=row["school_name"], exact=True)).locator("td")
        expect(cells).to_have_text(["not shown"] * len(COLUMNS["observations"]))
        drawn = _chart_rows_not_shown(page, row["school_name"])
        assert drawn == [[1, 0]], (row["school_name"], drawn)  # a hatched band, no bar of a length
    check_accessibility(page)

    # CPD by type: a blanked type of a school is "not shown" in its cell and named under its bar.
    types = _report(page, token, "cpd-types")
    cell = next(row for row in types["rows"] if row["suppressed"] and row["school_id"] not in ("all", "none"))
    page.goto("/dashboards/cpd-types")
    headings = page.locator("#dash-result thead th").all_inner_texts()
    label = {"inset": "INSET"}.get(cell["activity_type"], cell["activity_type"].replace("_", " ").capitalize())
    row = page.locator("#dash-result tbody tr").filter(has=page.get_by_role("rowheader", name=cell["school_name"], exact=True))
    expect(row.locator("td").nth(headings.index(label) - 1)).to_have_text("not shown")
    expect(page.locator("#dash-result .dash-hidden-note")).to_contain_text(cell["school_name"])
    notes = page.evaluate("""(name) => [...document.querySelectorAll('#dash-result svg g.dash-row')]
        .filter(g => g.querySelector(':scope > title').textContent.startsWith(name + ':'))
        .map(g => [...g.querySelectorAll('text.dash-note, text.dash-missing')].map(t => t.textContent).join(' '))""",
                          cell["school_name"])
    assert len(notes) == 1 and ("not shown" in notes[0].lower()), notes
    check_accessibility(page)


def test_the_headteacher_sees_their_own_school_only(platform, signed_in, check_accessibility, screenshot):
    page = signed_in("headteacher")
    token = _token(page, platform, "headteacher")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards")).to_be_visible()
    own = _report(page, token, "cpd")
    schools = {row["school_id"] for row in own["rows"]}
    assert len(schools) == 1 and "all" not in schools
    page.goto("/dashboards/cpd")
    _consistent(page, lambda: _report(page, token, "cpd"), lambda body: _expected("cpd", body))
    expect(page.get_by_role("rowheader", name="All schools")).to_have_count(0)
    expect(page.get_by_label("School", exact=True)).to_have_count(0)  # nothing to choose between
    expect(page.locator(".dash-scope")).to_contain_text(own["rows"][0]["school_name"] if own["rows"] else "")
    check_accessibility(page)
    screenshot(page, "dashboards-headteacher-cpd")
    page.goto("/dashboards")
    for title in REPORTS.values():
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("svg[role=img] title", has_text="All schools")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "dashboards-headteacher-overview")

    # Another school of the trust, named in the address: reporting's refusal, beside the field.
    trust_token = _token(page, platform, "trust leader")
    others = {row["school_id"] for row in _report(page, trust_token, "cpd")["rows"]} - schools - {"all", "none"}
    other = sorted(others)[0]
    refusal = _api(page, token, "cpd", school_id=other)
    assert refusal.status == 403
    reason = refusal.json()["errors"]["school_id"][0]
    response = page.goto(f"/dashboards/cpd?school_id={other}")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text(reason)
    expect(_field(page, "School")).to_contain_text(reason)
    expect(page.locator("#dash-result table")).to_have_count(0)
    check_accessibility(page)


def test_a_cpd_lead_finds_the_dashboards_in_the_menu_and_reads_their_schools_figures(platform, signed_in,
                                                                                     check_accessibility):
    page = signed_in("CPD lead")
    token = _token(page, platform, "CPD lead")
    assert "all" not in {row["school_id"] for row in _report(page, token, "cpd")["rows"]}  # reports.school only
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    expect(page).to_have_url(re.compile(r"/dashboards$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    page.goto("/dashboards/cpd")
    _consistent(page, lambda: _report(page, token, "cpd"), lambda body: _expected("cpd", body))
    expect(page.get_by_role("rowheader", name="All schools")).to_have_count(0)
    check_accessibility(page)


def test_a_teacher_has_no_dashboards_and_is_refused_in_reportings_words(platform, signed_in, check_accessibility,
                                                                        screenshot):
    page = signed_in("teacher")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards")).to_have_count(0)
    refusal = _api(page, _token(page, platform, "teacher"), "cpd")
    assert refusal.status == 403
    for path in ("/dashboards", "/dashboards/cpd", "/dashboards/observations?year=2025"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not yours to see")
        expect(page.locator("main")).to_contain_text(refusal.json()["message"])
    check_accessibility(page)
    screenshot(page, "dashboards-teacher-refused")
    assert page.request.get("/dashboards/cpd/csv").status == 403
    assert page.request.get("/dashboards/no-such-report").status == 404

"""The dashboards: what each shows, to whom, with small groups blanked."""
import csv
import io

from reporting.rollups import ALL_SCHOOLS


def rows_by(body, *keys):
    return {tuple(row[k] for k in keys): row for row in body["rows"]}


def test_observation_profile_per_school_and_principle_counts_reportable_records_only(trust):
    ash, birch = trust.staff["Ash"], trust.staff["Birch"]
    events = [trust.record(person, "Ash", {"P1": 1.0, "P2": 0.25}) for person in ash[:4]]
    events += [trust.record(person, "Birch", {"P1": 0.5}) for person in birch[:3]]
    # Developmental records, drafts and a rating linked to no principle never count.
    events.append(trust.record(ash[4], "Ash", {}, privacy="developmental"))
    events.append(trust.record(ash[5], "Ash", {}, status="draft", event="observation.record.recorded"))
    trust.service.feed(trust.trust_id, events)

    response = trust.report("observations")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["year_label"] == "2025-26" and body["min_group_size"] == 3
    rows = rows_by(body, "school_id", "code")
    ash_p1 = rows[(trust.schools["Ash"], "P1")]
    assert (ash_p1["people"], ash_p1["ratings"], ash_p1["mean"], ash_p1["strong_share"]) == (4, 4, 1.0, 1.0)
    assert rows[(trust.schools["Ash"], "P2")]["developing_share"] == 1.0
    assert rows[(trust.schools["Birch"], "P1")]["mean"] == 0.5
    whole = rows[(ALL_SCHOOLS, "P1")]
    assert (whole["people"], whole["ratings"], whole["school_name"]) == (7, 7, "All schools")
    assert whole["mean"] == round((4 * 1.0 + 3 * 0.5) / 7, 4)
    assert body["rows"][-1]["school_id"] == ALL_SCHOOLS  # the trust's rows come last


def test_small_groups_are_blanked_with_their_complement(trust):
    events = [trust.record(p, "Ash", {"P1": 1.0}) for p in trust.staff["Ash"][:5]]
    events += [trust.record(p, "Birch", {"P1": 0.5}) for p in trust.staff["Birch"][:4]]
    events += [trust.record(p, "Cedar", {"P1": 0.0}) for p in trust.staff["Cedar"][:2]]  # two people: too few
    trust.service.feed(trust.trust_id, events)

    rows = rows_by(trust.report("observations").json, "school_id", "code")
    cedar, birch, ash = (rows[(trust.schools[s], "P1")] for s in ("Cedar", "Birch", "Ash"))
    assert cedar["suppressed"] and cedar["mean"] is None and cedar["people"] is None
    # Otherwise "All schools" minus Ash and Birch would give Cedar's figure back.
    assert birch["suppressed"] and birch["mean"] is None
    assert not ash["suppressed"] and ash["mean"] == 1.0
    assert not rows[(ALL_SCHOOLS, "P1")]["suppressed"] and rows[(ALL_SCHOOLS, "P1")]["people"] == 11


def test_school_leaders_see_their_own_school_and_nobody_else_sees_reports(trust):
    trust.service.feed(trust.trust_id, [trust.activity(p, s) for s in ("Ash", "Birch") for p in trust.staff[s]])

    head = trust.report("cpd", trust.head["Ash"])
    assert head.status_code == 200
    assert {row["school_id"] for row in head.json["rows"]} == {trust.schools["Ash"]}  # no trust-wide row
    lead = trust.report("cpd", trust.cpd_lead, school_id=trust.schools["Ash"])
    assert lead.status_code == 200 and lead.json["rows"][0]["hours"] == 36.0

    other_school = trust.report("cpd", trust.head["Ash"], school_id=trust.schools["Birch"])
    assert other_school.status_code == 403 and "school_id" in other_school.json["errors"]
    teacher = trust.report("cpd", trust.teacher)
    assert teacher.status_code == 403 and teacher.json["code"]


def test_tenancy_filters_and_bad_input(trust, reporting):
    other = type(trust)(reporting, slug="elm")
    reporting.feed(other.trust_id, [other.activity(p, "Ash", hours="50.00") for p in other.staff["Ash"]])
    mine = trust.report("cpd").json["rows"]
    assert all(row["hours"] in (None, 0.0) or row["school_id"] != other.schools["Ash"] for row in mine)
    assert not any(row["school_id"] == other.schools["Ash"] for row in mine)

    foreign = trust.report("cpd", school_id=other.schools["Ash"])
    assert foreign.status_code == 404 and foreign.json["errors"] == {"school_id": ["no such school in your trust"]}
    bad_year = trust.report("cpd", year="soon")
    assert bad_year.status_code == 422 and "year" in bad_year.json["errors"]
    bad_phase = trust.report("cpd", phase="nursery school")
    assert bad_phase.status_code == 422 and "phase" in bad_phase.json["errors"]
    assert trust.service.client.get("/v1/reports/cpd").status_code == 401


def test_phase_filter_and_csv_export_for_governors(trust):
    trust.service.feed(trust.trust_id, [trust.activity(p, s, cost="250.50") for s in trust.schools
                                        for p in trust.staff[s][:3]])
    primaries = trust.report("cpd", phase="primary").json["rows"]
    assert {row["school_name"] for row in primaries} == {"Ash School", "Birch School"}  # no trust row when filtered

    response = trust.report("cpd", format="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="cpd-2025-26.csv"' in response.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["school_name"] for row in table] == ["Ash School", "Birch School", "Cedar School", "All schools"]
    assert table[-1]["cost"] == str(9 * 250.5) and table[-1]["people"] == "9"


def test_cpd_types_impact_and_participation(trust):
    ash = trust.staff["Ash"]
    events = [trust.activity(p, "Ash", activity_type="inset", hours="2.00") for p in ash[:3]]
    events += [trust.activity(p, "Ash", activity_type="course") for p in ash[:3]]
    events += [trust.evaluation(p, "Ash", reaction=r) for p, r in zip(ash[:3], (3, 4, 5))]
    events += [trust.record(p, "Ash", {"P1": 0.75}) for p in ash[:4]]
    trust.service.feed(trust.trust_id, events)

    types = rows_by(trust.report("cpd-types").json, "school_id", "activity_type")
    inset = types[(trust.schools["Ash"], "inset")]
    assert (inset["people"], inset["activities"], inset["hours"]) == (3, 3, 6.0)
    impact = rows_by(trust.report("impact").json, "school_id", "stage")[(trust.schools["Ash"], "immediate")]
    assert (impact["reaction"], impact["learning"], impact["use_in_practice"]) == (4.0, 5.0, None)

    participation = rows_by(trust.report("participation").json, "school_id")
    ash_row = participation[(trust.schools["Ash"],)]
    # Ash: six teachers, the headteacher and the CPD lead.
    assert (ash_row["staff"], ash_row["observed"], ash_row["with_cpd"]) == (8, 4, 3)
    assert ash_row["observed_share"] == 0.5 and ash_row["records"] == 4
    whole = participation[(ALL_SCHOOLS,)]
    assert (whole["staff"], whole["observed"]) == (3 * 6 + 3 + 1, 4)


def test_a_school_name_that_looks_like_a_formula_reaches_the_spreadsheet_as_text(trust):
    trust.service.feed(trust.trust_id, [
        ("identity.school.updated", {"school_id": trust.schools["Ash"], "name": "=HYPERLINK(\"http://x\")",
                                     "phase": "primary", "status": "open"}),
        *[trust.activity(p, "Ash") for p in trust.staff["Ash"]]])
    table = list(csv.DictReader(io.StringIO(trust.report("cpd", format="csv").get_data(as_text=True))))
    assert table[0]["school_name"] == "'=HYPERLINK(\"http://x\")" and table[0]["hours"] == "36.0"


def test_cpd_requests_per_school_and_status_with_small_groups_blanked(trust, reporting):
    def asked(school, people, decision=None):
        requests = [trust.request(p, school, cost="100.00") for p in people]
        return requests + ([trust.decision(r, decision) for r in requests] if decision else [])

    ash, birch, cedar = (trust.staff[s] for s in ("Ash", "Birch", "Cedar"))
    events = asked("Ash", ash[:4], "declined") + asked("Birch", birch[:5], "declined")
    events += asked("Cedar", cedar[:2], "declined")  # two people: too few
    events += asked("Ash", ash[3:6]) + asked("Birch", birch[5:], "approved")  # three pending; one approved
    trust.service.feed(trust.trust_id, events)
    other = type(trust)(reporting, slug="elm")
    theirs = [other.request(p, "Ash", cost="999.00") for p in other.staff["Ash"]]
    reporting.feed(other.trust_id, theirs)

    response = trust.report("cpd-requests")
    assert response.status_code == 200, response.json
    rows = rows_by(response.json, "school_id", "status")
    figures = lambda row: (row["people"], row["requests"], row["cost_asked"])  # noqa: E731
    assert figures(rows[(trust.schools["Birch"], "declined")]) == (5, 5, 500.0)
    assert figures(rows[(ALL_SCHOOLS, "declined")]) == (11, 11, 1100.0)
    assert figures(rows[(trust.schools["Ash"], "pending")]) == (3, 3, 300.0)
    assert figures(rows[(ALL_SCHOOLS, "pending")]) == (3, 3, 300.0)  # none of another trust's
    # Cedar's declined requests, and Ash's (fewer people than Birch's) that would give them back.
    for school in ("Cedar", "Ash"):
        row = rows[(trust.schools[school], "declined")]
        assert row["suppressed"] and figures(row) == (None, None, None)
    # An approved request is a CPD activity, reported (and blanked) by the CPD reports: shown here
    # too, its figures subtracted from the activities' would give those of activities recorded
    # some other way, a group no threshold checks.
    assert {status for _school, status in rows} == {"pending", "declined"}

    # Whoever asks, and however filtered, a blanked row stays blank.
    head = trust.report("cpd-requests", trust.head["Cedar"]).json["rows"]
    assert [(row["school_id"], row["status"], row["suppressed"]) for row in head] \
        == [(trust.schools["Cedar"], "declined", True)]
    alone = trust.report("cpd-requests", school_id=trust.schools["Ash"]).json["rows"]
    assert {row["status"]: row["suppressed"] for row in alone} == {"declined": True, "pending": False}
    assert trust.report("cpd-requests", trust.teacher).status_code == 403

    exported = trust.report("cpd-requests", format="csv")
    assert 'filename="cpd-requests-2025-26.csv"' in exported.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert list(table[0]) == ["school_id", "school_name", "phase", "suppressed", "people", "status", "requests",
                              "cost_asked"]
    assert len(table) == len(response.json["rows"]) and table[-1]["school_name"] == "All schools"

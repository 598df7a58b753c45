"""The dashboards' own logic, without a server: the year menu, how a figure reads (blanked is "not
shown", never a zero), which row the headline comes from, the reports' own filters, and what each
report's chart and table make of reporting's rows."""
from datetime import date

import pytest

from canopy_kit.auth.principal import Grant, Principal
from canopy_web.labels import ACTIVITY_TYPE_LABELS
from canopy_web.pages import dashboards
from canopy_web.pages.dashboards import reports, year_options
from canopy_web.pages.dashboards.figures import SHORT_TYPE_LABELS, by_school, cell, count, principle_key, total_row
from canopy_web.pages.dashboards.reports import REPORTS, chosen_values

TRUST = "trust-1"
ASHBY, KINGS = "school-a", "school-k"


def row(school_id, name, **figures):
    return {"school_id": school_id, "school_name": name, "phase": "primary", "suppressed": False, **figures}


def blanked(school_id, name, **labels):
    return {"school_id": school_id, "school_name": name, "phase": "primary", "suppressed": True, "people": None, **labels}


def body(report, rows):
    return {"report": report, "year": 2026, "year_label": "2026-27", "min_group_size": 5, "rows": rows}


def test_the_year_menu_offers_this_school_year_and_four_before():
    options = year_options(date(2026, 12, 1), None)
    assert [value for value, _label in options] == ["2026", "2025", "2024", "2023", "2022"]
    assert options[0][1] == "2026-27 (this year)"
    assert [value for value, _ in year_options(date(2026, 12, 1), "2015")][-1] == "2015"  # a bookmark stays
    assert len(year_options(date(2026, 12, 1), "nonsense")) == 5


def test_the_charts_short_type_labels_name_every_type_the_forms_do_in_the_same_order():
    assert list(SHORT_TYPE_LABELS) == list(ACTIVITY_TYPE_LABELS)
    assert all(len(short) <= len(ACTIVITY_TYPE_LABELS[key]) for key, short in SHORT_TYPE_LABELS.items())


def test_a_figure_reads_as_a_person_reads_it_and_a_blanked_one_is_not_shown_never_zero():
    figures = row(ASHBY, "Ashby", hours=388.5, cost=12150.0, people=77, external_share=0.5182, reaction=3.9391,
                  pence=12.5)
    assert cell(figures, "hours", "hours").text == "388.5"
    assert cell(figures, "cost", "money").text == "£12,150"
    assert cell(figures, "pence", "money").text == "£12.50"
    assert cell(figures, "people", "count").text == "77"
    assert cell(figures, "external_share", "share").text == "52%"
    assert cell(figures, "reaction", "mean").text == "3.94"
    hidden = cell(blanked(KINGS, "Kingsmead", hours=None), "hours", "hours")
    assert hidden.text == "not shown" and hidden.missing
    unknown = cell(row(ASHBY, "Ashby", pupil_outcomes=None), "pupil_outcomes", "mean")
    assert unknown.text == "no data" and unknown.missing
    assert count(7.5) == "7.5" and count(1234) == "1,234"


def test_the_headline_comes_from_the_trust_row_or_the_one_school_and_from_neither_of_several():
    trust = row("all", "All schools", hours=10)
    assert total_row([row(ASHBY, "Ashby"), trust]) is trust
    assert total_row([row(ASHBY, "Ashby", activity_type="course"), row(ASHBY, "Ashby", activity_type="inset")])["school_id"] == ASHBY
    assert total_row([row(ASHBY, "Ashby"), row(KINGS, "Kingsmead")]) is None
    assert total_row([]) is None


def test_a_missing_cell_of_a_two_way_report_is_a_true_nothing_and_a_present_one_is_itself():
    rows = [row(ASHBY, "Ashby", activity_type="course", hours=5), blanked(ASHBY, "Ashby", activity_type="inset", hours=None)]
    cells = by_school(rows, "activity_type")
    assert cells(ASHBY, "course")["hours"] == 5
    assert cells(ASHBY, "inset")["suppressed"] is True
    assert cells(ASHBY, "coaching")["hours"] == 0 and cells(ASHBY, "coaching")["suppressed"] is False


def test_a_report_s_own_filter_falls_back_to_its_default_when_the_address_names_nothing_it_offers():
    choices = REPORTS["cpd-types"].choices
    assert chosen_values(choices, {}) == {"measure": "hours", "type": ""}
    assert chosen_values(choices, {"measure": "cost", "type": "inset"}) == {"measure": "cost", "type": "inset"}
    assert chosen_values(choices, {"measure": "<script>", "type": "nope"}) == {"measure": "hours", "type": ""}
    assert chosen_values(REPORTS["impact"].choices, {}) == {"stage": "follow_up"}


def test_principles_are_in_the_order_of_their_codes_numbers():
    codes = ["P10", "P2", "P1", None, "P11"]
    ordered = sorted(({"code": code, "title": "t"} for code in codes), key=principle_key)
    assert [p["code"] for p in ordered] == [None, "P1", "P2", "P10", "P11"]


def test_cpd_per_school_charts_the_schools_and_keeps_the_trust_row_for_the_headline_and_the_table():
    rows = [row(ASHBY, "Ashby Vale", people=77, activities=137, hours=388.5, cost=12150.0, cover=37,
                external_share=0.5, hours_per_person=5.04),
            blanked(KINGS, "Kingsmead", activities=None, hours=None, cost=None, cover=None, external_share=None,
                    hours_per_person=None),
            row("all", "All schools", people=535, activities=935, hours=2751.0, cost=74945.0, cover=198,
                external_share=0.6, hours_per_person=5.14)]
    view = REPORTS["cpd"].build(body("cpd", rows), {"measure": "hours"})
    assert view.headline == [("Hours", "2,751"), ("Spend", "£74,945"), ("Activities", "935"), ("People with CPD", "535")]
    assert view.hidden == ["Kingsmead"]
    assert [name for name, _cells in view.table.rows] == ["Ashby Vale", "Kingsmead", "All schools"]
    assert [c.text for c in view.table.rows[1][1]] == ["not shown"] * 7
    assert "All schools" not in str(view.chart) and "Ashby Vale" in str(view.chart)
    assert 'data-value="388.5"' in str(view.chart)


def test_cpd_by_type_stacks_the_types_per_school_and_names_the_blanked_ones():
    rows = [row(ASHBY, "Ashby", activity_type="course", people=21, activities=23, hours=101.0, cost=2640.0),
            blanked(ASHBY, "Ashby", activity_type="inset", activities=None, hours=None, cost=None),
            row(KINGS, "Kingsmead", activity_type="course", people=6, activities=6, hours=12.0, cost=0.0)]
    view = REPORTS["cpd-types"].build(body("cpd-types", rows), {"measure": "hours", "type": ""})
    assert view.table.columns == ("Course", "INSET")
    assert [[c.text for c in cells] for _name, cells in view.table.rows] == [["101", "not shown"], ["12", "0"]]
    assert view.hidden == ["Ashby (INSET)"]
    assert "A Course" in str(view.chart) and "Not shown: INSET" in str(view.chart)
    one_type = REPORTS["cpd-types"].build(body("cpd-types", rows), {"measure": "cost", "type": "course"})
    assert [(name, cells[3].text) for name, cells in one_type.table.rows] == [("Ashby", "£2,640"), ("Kingsmead", "£0")]


def test_impact_leaves_out_a_rating_nobody_gave_and_says_so():
    rows = [row(ASHBY, "Ashby", stage="follow_up", evaluations=115, people=69, reaction=3.94, learning=3.5,
                use_in_practice=3.48, pupil_outcomes=None),
            row(ASHBY, "Ashby", stage="immediate", evaluations=279, people=84, reaction=4.01, learning=3.52,
                use_in_practice=None, pupil_outcomes=None)]
    view = REPORTS["impact"].build(body("impact", rows), {"stage": "follow_up"})
    assert "Pupil outcomes" not in str(view.chart) and "Use in practice" in str(view.chart)
    assert view.notes == ["No pupil outcomes ratings at this stage yet."]
    assert view.headline[0] == ("Reaction at follow-up", "3.94")
    straight = REPORTS["impact"].build(body("impact", rows), {"stage": "immediate"})
    assert [name for name, _ in straight.table.rows] == ["Ashby"] and "Use in practice" not in str(straight.chart)


def test_observations_show_the_trust_profile_per_principle_or_one_principle_per_school():
    p1 = {"principle_id": "p1", "code": "P1", "title": "High expectations"}
    p10 = {"principle_id": "p10", "code": "P10", "title": "Routines"}
    rows = [row(ASHBY, "Ashby", **p1, ratings=26, people=22, mean=0.56, strong_share=0.23, developing_share=0.46),
            blanked(KINGS, "Kingsmead", **p1, ratings=None, mean=None, strong_share=None, developing_share=None),
            row("all", "All schools", **p10, ratings=164, people=132, mean=0.6, strong_share=0.27, developing_share=0.37),
            row("all", "All schools", **p1, ratings=166, people=137, mean=0.49, strong_share=0.19, developing_share=0.57)]
    report = REPORTS["observations"]
    view = report.build(body("observations", rows), {"principle": ""})
    assert [name for name, _ in view.table.rows] == ["P1 High expectations", "P10 Routines"]
    assert view.headline == [("Strongest", "P10 Routines (27% strong)"), ("Most to develop", "P1 High expectations (57%)")]
    chosen = report.build(body("observations", rows), {"principle": "p1"})
    assert [name for name, _ in chosen.table.rows] == ["Ashby", "Kingsmead", "All schools"]
    assert chosen.hidden == ["Kingsmead"]
    choices = reports._own_choices(report, body("observations", rows))
    assert choices[0].options == (("p1", "P1 High expectations"), ("p10", "P10 Routines"))


def test_cpd_requests_pivot_waiting_and_declined_per_school():
    rows = [blanked(ASHBY, "Ashby", status="declined", requests=None, cost_asked=None),
            row("all", "All schools", status="declined", people=18, requests=18, cost_asked=4030.0),
            blanked("all", "All schools", status="pending", requests=None, cost_asked=None)]
    view = REPORTS["cpd-requests"].build(body("cpd-requests", rows), {"measure": "requests"})
    assert view.headline == [("Waiting requests", "not shown"), ("Declined requests", "18")]
    ashby = dict(view.table.rows)["Ashby"]
    assert [c.text for c in ashby] == ["0", "0", "£0", "not shown", "not shown", "not shown"]
    assert view.hidden == ["Ashby (declined)", "All schools (waiting)"]


@pytest.fixture
def as_principal(monkeypatch):
    def become(*grants):
        principal = Principal("me", TRUST, tuple(grants))
        monkeypatch.setattr(dashboards.auth, "principal", lambda: principal)
    return become


def test_the_school_filter_offers_the_schools_reporting_would_show(as_principal):
    schools = [{"id": ASHBY, "name": "Ashby"}, {"id": KINGS, "name": "Kingsmead"}]
    as_principal(Grant("trust_leader", "trust", TRUST))
    assert dashboards.readable_schools(schools) == schools
    as_principal(Grant("headteacher", "school", KINGS), Grant("teacher", "school", ASHBY))
    assert dashboards.readable_schools(schools) == [schools[1]]
    as_principal(Grant("cpd_lead", "group", "g", (ASHBY,)))
    assert dashboards.readable_schools(schools) == [schools[0]]
    as_principal(Grant("teacher", "school", ASHBY))
    assert dashboards.readable_schools(schools) == []

"""The CPD pages' pure helpers: the totals of the requests shown, deciding many at once, the
programme's places and bookings, and the forms as the API's bodies."""
from datetime import date
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from canopy_kit.auth.principal import Grant, Principal
from canopy_web.api import ApiError
from canopy_web.pages.cpd import assignments, common, decisions, programme


def _request(**changes):
    return {"id": "r1", "person_id": "tom", "school_id": "ash", "starts_on": "2026-12-07", "ends_on": "2026-12-07",
            "cost": 120.5, "cover_needed": True, "created_at": "2026-12-01T09:00:00+00:00", **changes}


def test_cover_is_counted_in_school_days_and_only_where_it_is_needed():
    assert decisions.school_days(date(2026, 12, 7), date(2026, 12, 7)) == 1  # a Monday
    assert decisions.school_days(date(2026, 12, 4), date(2026, 12, 7)) == 2  # Friday to Monday: the weekend is no cover
    assert decisions.school_days(date(2026, 12, 5), date(2026, 12, 6)) == 0  # a weekend course
    assert decisions.school_days(date(2026, 12, 7), date(2026, 12, 20)) == 10
    assert decisions.school_days(date(2026, 12, 7), None) == 1
    assert decisions.school_days(date(2026, 12, 8), date(2026, 12, 7)) == 0
    assert decisions.cover_days(_request(ends_on="2026-12-09")) == 3
    assert decisions.cover_days(_request(ends_on="2026-12-09", cover_needed=False)) == 0


def test_the_totals_add_cost_exactly_and_cover_days_of_what_is_shown():
    totals = decisions.request_totals([_request(), _request(cost=0.1, ends_on="2026-12-08"),
                                 _request(cost="80", cover_needed=False), _request(cost=None)])
    assert totals == decisions.Totals(requests=4, cost=Decimal("200.6"), cover_days=4, needing_cover=3)
    assert decisions.request_totals([]) == decisions.Totals(0, Decimal(0), 0, 0)


def test_the_list_to_decide_leaves_out_ones_own_and_other_schools_soonest_first():
    items = [_request(id="later", starts_on="2027-01-11"), _request(id="mine", person_id="me"),
             _request(id="soon", starts_on="2026-12-02"), _request(id="birch", school_id="birch")]
    assert [i["id"] for i in decisions.to_decide(items, "me")] == ["soon", "birch", "later"]
    assert [i["id"] for i in decisions.to_decide(items, "me", "ash")] == ["soon", "later"]


def test_one_decision_and_note_for_many_requests_each_once():
    assert decisions.decisions_body(["a", "b", "a"], "declined", "  No budget left this term ") == {"decisions": [
        {"request_id": "a", "decision": "declined", "comment": "No budget left this term"},
        {"request_id": "b", "decision": "declined", "comment": "No budget left this term"}]}
    assert decisions.decisions_body(["a"], "approved", "   ")["decisions"][0]["comment"] is None


def test_the_notice_says_how_many_were_approved_and_declined():
    assert decisions.decided_notice([{"decision": "approved"}]) == "1 request decided: 1 approved."
    assert decisions.decided_notice([{"decision": "approved"}, {"decision": "declined"}, {"decision": "approved"}]) == \
        "3 requests decided: 2 approved and 1 declined."
    assert decisions.decided_notice([{"decision": "declined"}] * 2) == "2 requests decided: 2 declined."
    assert decisions.decided_notice([]) == "Nothing was decided."


def test_a_refused_decision_names_the_one_field_the_form_has():
    error = ApiError(422, "The request has invalid fields", "invalid",
                     {"decisions.0.comment": ["Longer than maximum length 2000."],
                      "decisions.1.comment": ["Longer than maximum length 2000."],
                      "decisions.3.decision": ["Must be one of"], "decisions": ["Shorter than minimum length 1."],
                      "request_id": ["r9"]})
    shown = decisions.decision_error(error)
    assert shown.reason_for("comment") == "Longer than maximum length 2000."
    assert shown.reason_for("decision") == "Must be one of"
    assert shown.errors["request_id"] == ["Shorter than minimum length 1.", "r9"]  # both kept, in order
    assert shown.status == 422 and shown.message == error.message


def test_places_left_and_the_bookings_held_coming_and_past():
    assert programme.places_left({"places": 30, "booked": 28}) == 2
    assert programme.places_left({"places": 2, "booked": 3}) == 0
    bookings = [{"id": "b1", "session_id": "s1", "status": "booked", "held_on": "2027-01-11"},
                {"id": "b2", "session_id": "s2", "status": "cancelled", "held_on": "2026-12-14"},
                {"id": "b3", "session_id": "s3", "status": "attended", "held_on": "2026-11-02"},
                {"id": "b4", "session_id": "s4", "status": "booked", "held_on": "2026-12-07"}]
    assert set(programme.held_bookings(bookings)) == {"s1", "s3", "s4"}
    coming, past = programme.split_bookings(bookings, date(2026, 12, 1))
    assert [b["id"] for b in coming] == ["b4", "b1"] and [b["id"] for b in past] == ["b3"]


def test_everyone_booked_is_marked_those_ticked_attended():
    assert programme.attendance_body(["pia", "vic", "bo", "pia"], ["vic", "stranger"]) == {
        "attended": ["vic"], "absent": ["pia", "bo"]}


def test_the_course_form_sends_the_sessions_filled_in_and_numbers_as_numbers():
    form = MultiDict({"title": " Coaching ", "hours": "1.5", "provider": "", "activity_type": "",
                      "sessions.0.held_on": "2027-01-11", "sessions.0.location": "Hub", "sessions.0.places": "20",
                      "sessions.2.held_on": "2027-02-01", "sessions.2.places": "many"})
    assert programme.course_body(form) == {"title": "Coaching", "description": "", "activity_type": "trust_programme",
                                     "hours": 1.5, "sessions": [
                                         {"held_on": "2027-01-11", "location": "Hub", "places": 20},
                                         {"held_on": "2027-02-01", "location": "", "places": "many"}]}
    assert "hours" not in programme.course_body(MultiDict({"title": "No hours"}))  # the API says it is missing


def test_the_flood_fill_form_is_one_activity_for_everyone_ticked():
    form = MultiDict([("title", "INSET: adaptive teaching"), ("activity_type", "inset"), ("delivery", "internal"),
                      ("starts_on", "2027-01-04"), ("ends_on", ""), ("hours", "6"), ("cost", ""),
                      ("person_ids", "pia"), ("person_ids", "vic"), ("person_ids", "pia")])
    assert assignments.assignment_body(form) == {"title": "INSET: adaptive teaching", "activity_type": "inset",
                                         "delivery": "internal", "starts_on": "2027-01-04", "ends_on": "2027-01-04",
                                         "hours": 6.0, "cost": 0, "cover_needed": False, "person_ids": ["pia", "vic"]}


def test_who_runs_the_programme_decides_and_assigns():
    def principal(*grants):
        return Principal("me", "oak", tuple(Grant(role, scope_type, scope_id) for role, scope_type, scope_id in grants))

    trust_lead = principal(("cpd_lead", "trust", "oak"))
    school_lead = principal(("cpd_lead", "school", "ash"), ("teacher", "school", "ash"))
    head = principal(("headteacher", "school", "birch"))
    teacher = principal(("teacher", "school", "ash"))
    assert common.runs_programme(trust_lead) and not common.runs_programme(school_lead)
    assert common.deciding_schools(school_lead) == {"ash"} and common.deciding_schools(head) == {"birch"}
    assert common.may_assign(trust_lead) and common.may_assign(school_lead) and not common.may_assign(teacher)

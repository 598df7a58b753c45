"""The portfolio pages' pure helpers: the years offered, forms into API bodies, refusals shown
beside the right field, downloads' names."""
from datetime import date
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from canopy_web.api import ApiError
from canopy_web.pages.portfolio.activities import LIST_FIELDS, activity_body
from canopy_web.pages.portfolio.cpd_requests import request_body
from canopy_web.pages.portfolio.evaluations import QUESTIONS, evaluation_body, evaluation_state
from canopy_web.pages.portfolio.helpers import (
    attachment, filename_of, folded, renamed, size_label, total_hours, year_choices,
)


def test_the_years_offered_span_the_activities_and_this_year_newest_first():
    today = date(2026, 12, 1)
    assert year_choices(date(2024, 10, 1), date(2026, 11, 13), today) == [
        ("2026", "2026-27"), ("2025", "2025-26"), ("2024", "2024-25")]
    assert year_choices(None, None, today) == [("2026", "2026-27")]
    # A course booked for next September is offered too, and this year still is.
    assert [value for value, _ in year_choices(date(2027, 9, 20), date(2027, 9, 20), today)] == ["2027", "2026"]


def test_hours_are_added_exactly():
    activities = [{"hours": 6.5}, {"hours": 0.1}, {"hours": 0.2}, {"hours": None}, {"hours": "x"}]
    assert total_hours(activities) == Decimal("6.8")


def test_the_record_form_becomes_the_activity_the_api_takes():
    form = MultiDict([("title", " Adaptive teaching "), ("activity_type", "course"), ("delivery", "external"),
                      ("starts_on", "2026-10-01"), ("ends_on", "2026-10-02"), ("hours", "6"), ("cost", ""),
                      ("provider", ""), ("cover_needed", "yes"), ("linked_standards", "TS1"),
                      ("linked_standards", "TS5"), ("linked_objectives", "Questioning\n\n  Literacy \n"),
                      ("reflection", "Useful"), ("csrf_token", "x"), ("idempotency_key", "k")])
    assert activity_body(form) == {
        "title": "Adaptive teaching", "activity_type": "course", "delivery": "external", "starts_on": "2026-10-01",
        "ends_on": "2026-10-02", "hours": 6.0, "cover_needed": True, "reflection": "Useful",
        "linked_standards": ["TS1", "TS5"], "linked_objectives": ["Questioning", "Literacy"]}
    # Hours left blank are sent as missing, for the API to say they are required.
    assert "hours" not in activity_body(MultiDict([("title", "x")]))


def test_a_request_always_states_its_cost_and_cover():
    body = request_body(MultiDict([("title", "NPQ"), ("activity_type", "qualification"), ("starts_on", "2027-01-10"),
                                     ("ends_on", "2027-06-10"), ("hours", "40"), ("cost", "0"), ("reason", "Leadership")]))
    assert body["cost"] == 0.0 and body["cover_needed"] is False and body["hours"] == 40.0
    assert "provider" not in body and "school_id" not in body


def test_an_evaluation_sends_only_its_stages_layers():
    immediate = evaluation_body(MultiDict([("reaction", "4"), ("learning", ""), ("use_in_practice", "5"),
                                             ("comments", "  ")]), "immediate")
    assert immediate == {"reaction": 4, "learning": None, "comments": None}
    follow_up = evaluation_body(MultiDict([("use_in_practice", "3"), ("pupil_outcomes", "")]), "follow_up")
    assert follow_up == {"use_in_practice": 3, "pupil_outcomes": None, "comments": None}
    assert [q.name for q in QUESTIONS["follow_up"] if q.required] == ["use_in_practice"]


def test_a_refusal_is_shown_beside_the_field_as_this_page_names_it():
    error = ApiError(422, "invalid", "invalid", {"title": ["required"], "file": ["too large"]})
    moved = renamed(error, {"title": "evidence_title"})
    assert moved.errors == {"evidence_title": ["required"], "file": ["too large"]}
    assert (moved.status, moved.message) == (422, "invalid")


def test_reasons_about_one_item_of_a_list_are_shown_beside_the_lists_field():
    error = ApiError(422, "invalid", "invalid", {"linked_objectives.1": ["Longer than maximum length 100."],
                                                  "linked_standards": ["unknown standards: X1"], "hours": ["bad"]})
    assert folded(error, LIST_FIELDS).errors == {
        "linked_objectives": ["item 2: Longer than maximum length 100."],
        "linked_standards": ["unknown standards: X1"], "hours": ["bad"]}


def test_sizes_read_as_people_say_them():
    assert size_label(15) == "15 bytes"
    assert size_label(2048) == "2 KB"
    assert size_label(10 * 1024 * 1024) == "10 MB"
    assert size_label(1536 * 1024) == "1.5 MB"
    assert size_label(None) == ""


def test_the_files_name_is_read_from_the_apis_header_and_written_safely_for_the_browser():
    assert filename_of('attachment; filename="notes.txt"') == "notes.txt"
    assert filename_of('attachment; filename="r\\u00e9sum\\u00e9 \\"final\\".pdf"') == 'résumé "final".pdf'
    assert filename_of("attachment; filename*=UTF-8''caf%C3%A9.txt") == "café.txt"
    assert filename_of(None) is None and filename_of("inline") is None
    assert attachment("notes.txt") == 'attachment; filename="notes.txt"'
    assert attachment('résumé "final".pdf') == (
        "attachment; filename=\"r_sum_ _final_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf")
    assert "\n" not in attachment("a\r\nSet-Cookie: x.pdf")
    assert attachment("../../etc/passwd").startswith('attachment; filename=".._.._etc_passwd"')


def test_an_evaluation_is_submitted_due_or_for_later():
    today = date(2026, 12, 1)
    assert evaluation_state({"submitted_at": "2026-11-02T09:00:00+00:00", "due_on": "2026-11-01"}, today) == "submitted"
    assert evaluation_state({"submitted_at": None, "due_on": "2026-12-01"}, today) == "due"
    assert evaluation_state({"submitted_at": None, "due_on": "2027-01-12"}, today) == "later"

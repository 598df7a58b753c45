"""The drop-in form's helpers: a template version's sections drawn as fields, and the form sent
back turned into the body ``POST /v1/records`` takes, the same bytes for the same form."""
import json

from werkzeug.datastructures import MultiDict

from canopy_web.api import ApiError
from canopy_web.pages.observations.form import (
    choice_text, default_form, drop_in_body, error_labels, form_view, latest_published, parse_teacher, renumber_steps,
    responses_from_form, steps_from_form, teacher_value,
)

SECTIONS = [
    {"title": "Principles seen", "items": [
        {"id": "p1", "kind": "rating", "label": "High expectations", "help": "Rate what you saw.",
         "scale": [{"value": 1.0, "label": "Emerging"}, {"value": 2.0, "label": "Developing"},
                   {"value": 2.5, "label": "Nearly secure"}]},
        {"id": "p2", "kind": "rating", "label": "Modelling", "required": True,
         "scale": [{"value": 1, "label": "No"}, {"value": 2, "label": "Yes"}]},
    ]},
    {"title": "The room", "items": [
        {"id": "seen", "kind": "checklist", "label": "Seen",
         "options": [{"value": "routines", "label": "Routines"}, {"value": "retrieval", "label": "Retrieval"}]},
        {"id": "focus", "kind": "single_choice", "label": "Focus", "required": True,
         "options": [{"value": "a", "label": "A"}]},
        {"id": "rooms", "kind": "number", "label": "Rooms", "min": 1, "max": 60},
        {"id": "when", "kind": "date", "label": "Next visit"},
        {"id": "notes.main", "kind": "text", "label": "Notes"},
    ]},
]


def _items(view):
    return {item["id"]: item for part in view for item in part["fields"]}


def test_the_newest_published_version_is_the_one_new_records_use():
    template = {"versions": [{"id": "v1", "version": 1, "status": "published"},
                             {"id": "v3", "version": 3, "status": "draft"},
                             {"id": "v2", "version": 2, "status": "published"}]}
    assert latest_published(template)["id"] == "v2"
    assert latest_published({"versions": [{"id": "d", "version": 1, "status": "draft"}]}) is None


def test_a_scale_point_is_sent_as_written_on_the_form():
    assert [choice_text(v) for v in (2.0, 2.5, 3, "a")] == ["2", "2.5", "3", "a"]


def test_an_empty_form_starts_optional_ratings_on_not_rated_and_required_ones_on_nothing():
    items = _items(form_view(SECTIONS))
    p1, p2 = items["p1"], items["p2"]
    assert p1["name"] == "responses.p1" and p1["dom_id"] == "field-responses-p1" and p1["help"] == "Rate what you saw."
    assert [(c["value"], c["label"], c["checked"]) for c in p1["choices"]] == [
        ("", "Not rated", True), ("1", "Emerging", False), ("2", "Developing", False), ("2.5", "Nearly secure", False)]
    assert [c["dom_id"] for c in p1["choices"]] == [f"field-responses-p1-{n}" for n in range(4)]
    assert [c["checked"] for c in p2["choices"]] == [False, False] and p2["required"]
    assert items["seen"]["multiple"] and not items["seen"]["choices"][0]["value"] == ""
    assert items["notes.main"]["dom_id"] == "field-responses-notes-main"  # as the error summary links it
    assert items["rooms"]["choices"] == [] and items["rooms"]["min"] == 1


def test_a_form_sent_back_keeps_what_was_chosen_and_shows_the_reason_beside_its_item():
    form = MultiDict([("responses.p1", "2"), ("responses.seen", "routines"), ("responses.seen", "retrieval"),
                      ("responses.rooms", "4"), ("responses.notes.main", "Calm")])
    error = ApiError(422, "responses.p2: is required", errors={"responses.p2": ["is required"]})
    items = _items(form_view(SECTIONS, form, error))
    assert [c["checked"] for c in items["p1"]["choices"]] == [False, False, True, False]
    assert [c["checked"] for c in items["seen"]["choices"]] == [True, True]
    assert items["p2"]["reason"] == "is required" and items["p1"]["reason"] is None
    assert items["rooms"]["value"] == "4" and items["notes.main"]["value"] == "Calm"


def test_responses_are_sent_in_the_types_of_the_form_and_unanswered_items_left_out():
    form = MultiDict([("responses.p1", "2.5"), ("responses.p2", ""), ("responses.seen", "retrieval"),
                      ("responses.seen", "retrieval"), ("responses.focus", "a"), ("responses.rooms", "12"),
                      ("responses.when", "2026-12-08"), ("responses.notes.main", "  Pupils talked.  ")])
    assert responses_from_form(SECTIONS, form) == {
        "p1": 2.5, "seen": ["retrieval"], "focus": "a", "rooms": 12, "when": "2026-12-08", "notes.main": "Pupils talked."}
    assert responses_from_form(SECTIONS, MultiDict([("responses.p1", "2"), ("responses.p2", "2")])) == {"p1": 2.0, "p2": 2}


def test_a_value_the_form_does_not_know_goes_to_the_api_as_typed_for_it_to_say_why():
    form = MultiDict([("responses.p1", "7"), ("responses.rooms", "four"), ("responses.when", "soon")])
    assert responses_from_form(SECTIONS, form) == {"p1": "7", "rooms": "four", "when": "soon"}


def test_blank_step_rows_are_skipped_and_the_apis_reasons_renumbered_to_the_row_typed_in():
    form = MultiDict([("action_steps.0.text", ""), ("action_steps.1.text", "Hinge question"),
                      ("action_steps.1.due_on", "2026-12-10"), ("action_steps.2.due_on", "2026-12-11")])
    steps, rows = steps_from_form(form)
    assert steps == [{"text": "Hinge question", "due_on": "2026-12-10"}, {"text": "", "due_on": "2026-12-11"}]
    assert rows == [1, 2]
    error = ApiError(422, "bad", errors={"action_steps.1.text": ["Length must be between 1 and 2000."],
                                         "responses.p2": ["is required"], "action_steps": ["too many"]})
    assert renumber_steps(error, rows).errors == {"action_steps.2.text": ["Length must be between 1 and 2000."],
                                                 "responses.p2": ["is required"], "action_steps": ["too many"]}


def test_the_teacher_choice_carries_the_school_the_drop_in_is_at():
    assert parse_teacher(teacher_value("school-1", "person-1")) == ("school-1", "person-1")
    assert parse_teacher(teacher_value(None, "person-1")) == (None, "person-1")
    assert parse_teacher("") == (None, None)


def test_the_drop_in_body_and_its_bytes_are_the_same_for_the_same_form():
    form = MultiDict([("teacher", "school-1/person-1"), ("observed_on", "2026-12-01"), ("privacy", "developmental"),
                      ("share", "yes"), ("responses.p2", "1"), ("responses.focus", "a"), ("strengths", " Warm start "),
                      ("subject", ""), ("action_steps.0.text", "Hinge question"), ("csrf_token", "x"),
                      ("idempotency_key", "k"), ("summary", "Drop-in for someone")])
    body, rows = drop_in_body(form, SECTIONS, "version-1")
    assert body == {"kind": "drop_in", "school_id": "school-1", "observee_id": "person-1",
                    "template_version_id": "version-1", "observed_on": "2026-12-01", "privacy": "developmental",
                    "share": True, "strengths": "Warm start", "responses": {"p2": 1, "focus": "a"},
                    "action_steps": [{"text": "Hinge question", "due_on": None}]}
    assert rows == [0]
    again, _ = drop_in_body(MultiDict(list(form.items(multi=True))), SECTIONS, "version-1")
    assert json.dumps(again, sort_keys=True) == json.dumps(body, sort_keys=True)


def test_what_was_not_chosen_is_left_out_for_the_api_to_name():
    body, _ = drop_in_body(MultiDict([("teacher", ""), ("observed_on", " ")]), SECTIONS, None)
    assert not {"observee_id", "observed_on", "privacy", "template_version_id"} & set(body)
    assert body["share"] is False and body["school_id"] is None


def test_a_drop_in_starts_on_the_trusts_drop_in_form_where_there_is_one():
    forms = [{"name": "Learning walk"}, {"name": "Developmental drop-in"}, {"name": "Drop in (old)"}]
    assert default_form(forms)["name"] == "Developmental drop-in"
    assert default_form([{"name": "Learning walk"}])["name"] == "Learning walk"
    assert default_form([]) is None


def test_the_pages_summary_names_each_refused_field_as_the_page_labels_it():
    error = ApiError(422, "bad", errors={"responses.p2": ["is required"], "school_id": ["say which"],
                                         "action_steps.1.text": ["too long"], "privacy": ["Missing data"]})
    assert error_labels(error, SECTIONS) == [
        ("field-responses-p2", "Modelling", "is required"), ("field-observee_id", "Teacher", "say which"),
        ("field-action_steps-1-text", "Action step 2", "too long"), ("field-privacy", "Who may read it", "Missing data")]
    both = ApiError(403, "no", errors={"observee_id": ["not yours"], "school_id": ["not here"]})
    assert error_labels(both, SECTIONS) == [("field-observee_id", "Teacher", "not yours")]
    assert error_labels(None, SECTIONS) == []

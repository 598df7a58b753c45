"""The trust admin pages' pure parts: the staff CSV's columns and example, the import's problems as
a table, the one "where" choice of a role grant, and the form designer's model."""
import csv
import io
from datetime import date

from canopy_web.api import ApiError, field_errors
from canopy_web.pages.admin import designer
from canopy_web.pages.admin.common import merged, scope_choices, scope_label, split_scope, when
from canopy_web.pages.admin.imports import (
    columns_from_description, example_csv, problem_rows, upload_refusal,
)

DESCRIPTION = ("UTF-8 CSV. Required columns: email, given_name, family_name, school_urn, job_title, staff_category, "
               "starts_on. All columns: email, given_name, family_name, school_urn, job_title, staff_category, "
               "starts_on, preferred_name, fte, ends_on, roles, line_manager_email. One row per employment; roles "
               "separated by ';'.")


def test_the_columns_are_read_from_the_imports_documented_body():
    required, columns = columns_from_description(DESCRIPTION)
    assert required == ["email", "given_name", "family_name", "school_urn", "job_title", "staff_category", "starts_on"]
    assert columns[:7] == required
    assert columns[7:] == ["preferred_name", "fte", "ends_on", "roles", "line_manager_email"]
    assert columns_from_description("") == ([], [])


def test_the_example_file_has_every_column_in_order_and_two_people_at_the_given_school():
    _, columns = columns_from_description(DESCRIPTION)
    rows = list(csv.DictReader(io.StringIO(example_csv(columns, urn="142655", starts_on=date(2026, 9, 1)))))
    assert len(rows) == 2 and list(rows[0]) == columns
    assert {row["school_urn"] for row in rows} == {"142655"}
    assert {row["starts_on"] for row in rows} == {"2026-09-01"}
    assert rows[0]["email"] != rows[1]["email"]
    assert rows[1]["line_manager_email"] == rows[0]["email"]  # a manager earlier in the same file
    assert rows[0]["roles"] == "teacher;coach"


def test_a_column_the_client_knows_nothing_about_is_in_the_example_empty():
    text = example_csv(["email", "shoe_size"], urn="1", starts_on=date(2026, 9, 1))
    assert text.splitlines()[0] == "email,shoe_size" and text.splitlines()[1].endswith(",")


def _refusal(body_errors) -> ApiError:
    """An import refusal as the client's error reading leaves it (the API's body, flattened)."""
    return ApiError(422, "2 line(s) of the file have problems; nothing was imported", "invalid_input",
                    field_errors(body_errors))


def test_the_imports_problems_become_table_rows_by_line_and_column():
    error = _refusal({"rows": [
        {"field": "staff_category", "line": 3, "reason": "must be one of: teaching, support, leadership"},
        {"field": "email", "line": 3, "reason": "'bad' is not an email address"},
        {"field": "header", "line": 1, "reason": "unknown columns: shoe_size"},
        {"field": "file", "line": 0, "reason": "the file is not UTF-8"},
    ]})
    rows = problem_rows(error.errors)
    assert [(row["line"], row["column"]) for row in rows] == [
        (0, "The whole file"), (1, "The header line"), (3, "email"), (3, "staff_category")]
    assert rows[2]["reason"] == "'bad' is not an email address"
    assert rows[0]["whole_file"] and not rows[1]["whole_file"]


def test_reasons_about_the_upload_itself_stay_for_the_file_field():
    error = ApiError(400, "send the CSV", "bad_request", {"file": ["missing"]})
    assert problem_rows(error.errors) == []
    assert upload_refusal(error).errors == {"file": ["missing"]}
    lines = _refusal({"rows": [{"field": "email", "line": 2, "reason": "is required"}]})
    assert upload_refusal(lines).errors == {} and upload_refusal(lines).message == lines.message


def test_a_grants_where_is_one_choice_split_into_the_apis_scope_type_and_id():
    schools = [{"id": "s1", "name": "Oakfield", "status": "open"}, {"id": "s2", "name": "Old", "status": "closed"}]
    choices = scope_choices("t1", schools, [{"id": "g1", "name": "North hub", "school_ids": []}])
    assert [value for value, _ in choices] == ["trust:t1", "school:s1", "group:g1"]  # closed schools not offered
    assert split_scope("school:s1") == ("school", "s1")
    assert split_scope("") == ("", "") and split_scope("school:") == ("", "")
    assert scope_label({"scope_type": "group", "scope_id": "g1"}, {}, {"g1": "North hub"}) == "North hub"
    assert scope_label({"scope_type": "trust", "scope_id": "t1"}, {}, {}) == "The whole trust"


def test_the_reasons_about_scope_type_and_scope_id_show_beside_the_one_where_choice():
    error = ApiError(422, "invalid", "invalid_input", {"scope_id": ["no such school"], "role": ["not a role"]})
    shown = merged(error, "scope", ("scope_type", "scope_id"))
    assert shown.errors == {"role": ["not a role"], "scope": ["no such school"]}
    assert merged(error, "scope", ("valid_to",)) is error


def test_dates_are_read_as_iso_and_as_http_dates():
    assert when("2026-12-01T13:58:36+00:00").day == 1
    assert when("Tue, 01 Dec 2026 13:58:30 GMT").year == 2026
    assert when("") is None and when("not a date") is None


# -- the form designer ------------------------------------------------------------------------------
DEFINITION = {"sections": [{"title": "Teaching", "items": [
    {"id": "p1", "kind": "rating", "label": "Expectations", "help": None, "required": True, "principle_id": "pr-1",
     "scale": [{"value": 1.0, "label": "Emerging"}, {"value": 2.5, "label": "Secure"}]},
    {"id": "c1", "kind": "checklist", "label": "Routines", "principle_id": None,
     "options": [{"value": "entry-routine", "label": "Entry routine"}, {"value": "x", "label": "Exit"}]},
    {"id": "n1", "kind": "number", "label": "Pupils", "min": 0, "max": 40.0},
]}]}


def _as_form(sections) -> dict:
    """The fields the page would send for these sections."""
    form = {}
    for s, section in enumerate(sections):
        form[f"sections.{s}.title"] = section["title"]
        for i, item in enumerate(section["items"]):
            for key in ("id", "kind", "label", "help", "principle_id", "scale", "options", "min", "max"):
                form[f"sections.{s}.items.{i}.{key}"] = item[key]
            if item["required"]:
                form[f"sections.{s}.items.{i}.required"] = "yes"
    return form


def test_a_version_goes_through_the_page_and_back_unchanged():
    sections = designer.from_definition(DEFINITION)
    assert sections[0]["items"][0]["scale"] == "1 = Emerging\n2.5 = Secure"
    assert sections[0]["items"][1]["options"] == "Entry routine\nx = Exit"  # a value of its own is kept visible
    back = designer.to_definition(designer.from_form(_as_form(sections)))
    rating, checklist, number = back["sections"][0]["items"]
    assert rating == {**DEFINITION["sections"][0]["items"][0], "help": None}
    assert checklist["options"] == DEFINITION["sections"][0]["items"][1]["options"]
    assert (number["min"], number["max"]) == (0.0, 40.0)
    assert "scale" not in checklist and "options" not in rating  # only what its kind uses


def test_the_pages_fields_are_read_in_their_numbers_order_not_the_order_sent():
    form = {"sections.1.title": "Second", "sections.0.items.10.label": "Eleventh", "sections.0.title": "First",
            "sections.0.items.2.label": "Third", "sections.0.items.2.id": "keep-me", "sections.1.items.0.label": "x"}
    sections = designer.from_form(form)
    assert [section["title"] for section in sections] == ["First", "Second"]
    assert [item["label"] for item in sections[0]["items"]] == ["Third", "Eleventh"]
    assert sections[0]["items"][0]["id"] == "keep-me" and sections[0]["items"][1]["id"].startswith("item-")


def test_a_value_that_is_not_a_number_is_sent_as_typed_for_the_api_to_refuse():
    assert designer.parse_scale("1 = Low\nhigh = High\nNo value") == [
        {"value": 1.0, "label": "Low"}, {"value": "high", "label": "High"}, {"value": None, "label": "No value"}]
    assert designer.parse_options("Book open\n\nkey = Key words") == [
        {"value": "book-open", "label": "Book open"}, {"value": "key", "label": "Key words"}]


def test_the_buttons_add_remove_and_move_and_say_where_the_focus_goes():
    sections = designer.from_definition(DEFINITION)
    added, focus = designer.apply(sections, "add-item-0")
    assert len(added[0]["items"]) == 4 and focus == "field-sections-0-items-3-label"
    assert len(sections[0]["items"]) == 3  # the sections given are not changed
    moved, focus = designer.apply(sections, "up-item-0-1")
    assert [item["id"] for item in moved[0]["items"]] == ["c1", "p1", "n1"]
    assert focus == "field-sections-0-items-0-label"
    removed, focus = designer.apply(sections, "remove-item-0-0")
    assert [item["id"] for item in removed[0]["items"]] == ["c1", "n1"] and focus == "add-item-0"
    more, focus = designer.apply(sections, "add-section")
    assert len(more) == 2 and len(more[1]["items"]) == 1 and focus == "field-sections-1-title"
    fewer, focus = designer.apply(more, "remove-section-0")
    assert len(fewer) == 1 and fewer[0]["title"] == "" and focus == "add-section"
    same, focus = designer.apply(sections, "down-item-0-2")  # already last
    assert same == sections and focus is None
    assert designer.apply(sections, "remove-item-7-0")[0] == sections  # no such section: nothing changes


def test_reasons_inside_a_scale_are_folded_onto_the_scales_text_naming_the_line():
    folded = designer.fold_errors({"sections.0.items.1.scale.2.value": ["Not a valid number."],
                                   "sections.0.items.1.scale": ["a rating needs at least two points"],
                                   "sections.0.title": ["Length must be between 1 and 200."]})
    assert folded == {"sections.0.items.1.scale": ["line 3, value: Not a valid number.",
                                                   "a rating needs at least two points"],
                      "sections.0.title": ["Length must be between 1 and 200."]}
    assert designer.where("sections.0.items.1.scale") == "Section 1, item 2, scale"
    assert designer.where("shared_with_school_ids") == "Shared with school ids"


def test_a_frameworks_items_are_edited_as_lines_keeping_the_descriptions_of_codes_that_stay():
    previous = [{"code": "P1", "title": "High expectations", "description": "For every pupil"},
                {"code": "P2", "title": "Clear intentions", "description": None}]
    assert designer.framework_items_text(previous) == "P1 = High expectations\nP2 = Clear intentions"
    items = designer.parse_framework_items("P1 = High expectations for all\n\nP3 = Retrieval", previous)
    assert items == [{"code": "P1", "title": "High expectations for all", "description": "For every pupil"},
                     {"code": "P3", "title": "Retrieval", "description": None}]
    folded = designer.fold_errors({"items.1.code": ["Length must be between 1 and 16."],
                                   "items": ["every item needs its own code"]})
    assert folded == {"items": ["line 2, code: Length must be between 1 and 16.", "every item needs its own code"]}

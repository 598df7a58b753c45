"""Responses are checked against the exact form version; ratings normalise across scales."""
import pytest

from observation.domain import forms

FORM = {"sections": [{"title": "T", "items": [
    {"id": "q", "kind": "rating", "label": "Questioning", "required": True, "principle_id": "p1",
     "scale": [{"value": 1, "label": "Emerging"}, {"value": 2, "label": "Secure"}, {"value": 5, "label": "Expert"}]},
    {"id": "focus", "kind": "single_choice", "label": "Focus", "options": [{"value": "a", "label": "A"}]},
    {"id": "seen", "kind": "multiple_choice", "label": "Seen",
     "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}]},
    {"id": "rooms", "kind": "number", "label": "Rooms", "min": 1, "max": 10},
    {"id": "next", "kind": "date", "label": "Next visit"},
    {"id": "notes", "kind": "text", "label": "Notes"},
]}]}


@pytest.mark.parametrize("responses, field, reason", [
    ({}, "responses.q", "is required"),
    ({"q": 3}, "responses.q", "must be one of the scale's values: [1, 2, 5]"),
    ({"q": True}, "responses.q", "must be one of the scale's values: [1, 2, 5]"),
    ({"q": 2, "ghost": 1}, "responses.ghost", "no such item in this form version"),
    ({"q": 2, "focus": "b"}, "responses.focus", "must be one of the options' values"),
    ({"q": 2, "seen": ["x", "x"]}, "responses.seen", "lists an option twice"),
    ({"q": 2, "rooms": 11}, "responses.rooms", "must be between 1 and 10"),
    ({"q": 2, "next": "tomorrow"}, "responses.next", "must be a date (YYYY-MM-DD)"),
])
def test_responses_that_do_not_fit_the_version_name_the_item(responses, field, reason):
    with pytest.raises(forms.FormError) as caught:
        forms.check_responses(FORM, responses)
    assert (caught.value.field, caught.value.reason) == (field, reason)


def test_ratings_normalise_on_the_items_own_scale_and_render_with_labels():
    clean = forms.check_responses(FORM, {"q": 2, "seen": ["y"], "next": "2026-12-01", "notes": ""})
    assert clean == {"q": 2, "seen": ["y"], "next": "2026-12-01"}  # an empty optional answer is no answer
    assert forms.ratings(FORM, clean) == [{"item_id": "q", "principle_id": "p1", "value": 2.0, "normalised": 0.25}]
    rendered = forms.render(FORM, clean)[0]["items"]
    assert (rendered[0]["response"], rendered[0]["response_label"]) == (2, "Secure")
    assert rendered[2]["response_label"] == ["Y"] and rendered[3]["response"] is None


@pytest.mark.parametrize("item, field", [
    ({"id": "r", "kind": "rating", "label": "R", "scale": [{"value": 1, "label": "only"}]}, "sections.0.items.0.scale"),
    ({"id": "c", "kind": "checklist", "label": "C", "options": []}, "sections.0.items.0.options"),
    ({"id": "n", "kind": "number", "label": "N", "min": 5, "max": 1}, "sections.0.items.0.min"),
])
def test_a_form_that_cannot_be_filled_in_is_refused(item, field):
    with pytest.raises(forms.FormError) as caught:
        forms.check_definition({"sections": [{"title": "T", "items": [item]}]})
    assert caught.value.field == field

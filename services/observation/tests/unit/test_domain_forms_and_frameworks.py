"""Versioned forms and frameworks as plain rules: where a form may be used, when it may be edited,
published and recorded on; one draft at a time; item ids kept by code; stale saves refused."""
import itertools

import pytest

from canopy_kit.errors import Conflict, Invalid, Stale
from observation.domain import drafts, frameworks, templates


def test_a_schools_own_form_is_not_shared_and_is_used_at_that_school_only():
    templates.check_sharing(None, ["ash"])
    templates.check_sharing("ash", None)
    with pytest.raises(Invalid) as caught:
        templates.check_sharing("ash", [])
    assert caught.value.errors == {"shared_with_school_ids": ["must be null"]}
    assert templates.available_at("ash", None, "ash") and not templates.available_at("ash", None, "birch")
    assert templates.available_at(None, None, "birch")  # the trust's, shared with every school
    assert templates.available_at(None, ["ash"], "ash") and not templates.available_at(None, ["ash"], "birch")
    assert not templates.available_at(None, [], "ash")


@pytest.mark.parametrize("version_status, template_status, available, reason", [
    ("draft", "active", True, "this form version is a draft: publish it before recording on it"),
    ("published", "retired", True, "this form is retired"),
    ("published", "active", False, "this form is not shared with the record's school"),
    ("draft", "retired", False, "this form version is a draft: publish it before recording on it"),
])
def test_a_record_is_made_on_a_published_version_of_an_active_form_usable_there(
        version_status, template_status, available, reason):
    with pytest.raises(Invalid) as caught:
        templates.check_usable(version_status=version_status, template_status=template_status, available=available)
    assert caught.value.errors == {"template_version_id": [reason]}


def test_an_older_published_version_of_an_active_form_stays_usable():
    templates.check_usable(version_status="published", template_status="active", available=True)


def test_a_retired_form_is_neither_edited_nor_published_and_only_a_draft_is_published():
    templates.check_editable("active")
    templates.check_publishable("active", "draft")
    with pytest.raises(Conflict, match="retired"):
        templates.check_editable("retired")
    with pytest.raises(Conflict, match="retired"):
        templates.check_publishable("retired", "draft")
    with pytest.raises(Conflict, match="no draft to publish"):
        templates.check_publishable("active", "published")
    with pytest.raises(Conflict, match="no draft to publish"):
        drafts.check_draft_to_publish("published")


def test_a_framework_has_one_draft_at_a_time():
    frameworks.check_may_draft(3, "published")
    with pytest.raises(Conflict, match="version 3 is still a draft"):
        frameworks.check_may_draft(3, "draft")


def test_items_keep_their_id_while_their_code_stays_and_codes_are_unique():
    counter = itertools.count(1)
    ids = frameworks.item_ids([{"code": "P1"}, {"code": "P3"}], {"P1": "kept", "P2": "dropped"},
                              lambda: f"new-{next(counter)}")
    assert ids == ["kept", "new-1"]
    with pytest.raises(Invalid) as caught:
        frameworks.item_ids([{"code": "P1"}, {"code": "P1"}], {}, lambda: "x")
    assert caught.value.errors == {"items": ["every item needs its own code"]}


def test_a_save_from_an_older_copy_of_a_draft_is_stale():
    drafts.check_row_version(4, 4)
    drafts.check_row_version(4, None)  # no If-Match: the caller takes their chance
    with pytest.raises(Stale) as caught:
        drafts.check_row_version(4, 3)
    assert caught.value.errors == {"If-Match": ["current version is 4"]}

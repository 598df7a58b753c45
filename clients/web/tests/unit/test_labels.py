"""What the APIs' values are called: every value the contracts list has its label, offered in the
contracts' order, and any other value reads in words."""
from canopy_contracts.events.portfolio import ACTIVITY_TYPES, DELIVERIES
from canopy_web.labels import (
    ACTIVITY_TYPE_LABELS, DELIVERY_LABELS, activity_type_choices, delivery_choices, in_words, words,
)


def test_every_activity_type_and_delivery_has_a_label_in_the_contracts_order():
    assert tuple(ACTIVITY_TYPE_LABELS) == ACTIVITY_TYPES
    assert tuple(DELIVERY_LABELS) == DELIVERIES
    assert activity_type_choices()[3] == ("inset", "INSET day")
    assert [value for value, _label in delivery_choices()] == list(DELIVERIES)


def test_a_value_without_a_label_reads_in_words():
    assert words("cover_needed") == "Cover needed" and words("follow-up") == "Follow up" and words(None) == ""
    assert in_words(("all_through", "post16")) == [("all_through", "All through"), ("post16", "Post16")]

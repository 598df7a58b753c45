"""Form fields as the APIs take them."""
from canopy_web.forms import number_or_text


def test_numbers_typed_become_json_numbers_and_anything_else_is_left_for_the_api_to_judge():
    assert number_or_text(" 6.5 ") == 6.5
    assert number_or_text("-2") == -2.0
    assert number_or_text("") is None and number_or_text(None) is None and number_or_text("  ") is None
    assert number_or_text("six") == "six"
    assert number_or_text("inf") == "inf"  # not a number JSON can carry
    assert number_or_text("nan") == "nan"

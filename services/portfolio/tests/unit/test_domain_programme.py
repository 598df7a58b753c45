"""The programme's rules, without a database: places, cancelling, and marking attendance."""
import pytest

from canopy_kit.errors import Conflict, Forbidden, Invalid
from portfolio.domain.programme import check_attendance, check_booking, check_cancel


def test_a_place_is_taken_while_places_last_and_once():
    check_booking(None, taken=1, places=2)
    check_booking("cancelled", taken=1, places=2)  # booking again after cancelling
    with pytest.raises(Conflict, match="full"):
        check_booking(None, taken=2, places=2)
    with pytest.raises(Conflict, match="already have a place"):
        check_booking("booked", taken=1, places=2)
    with pytest.raises(Conflict, match="already have a place"):  # said before "full": it is the reason
        check_booking("attended", taken=2, places=2)


def test_only_the_booker_cancels_and_only_a_booked_place():
    check_cancel("pia", "pia", "booked")
    with pytest.raises(Forbidden):
        check_cancel("pia", "vic", "booked")
    with pytest.raises(Conflict, match="the booking is attended"):
        check_cancel("pia", "pia", "attended")


def test_attendance_is_marked_for_people_holding_a_place_only():
    check_attendance({"pia", "vic"}, ["pia", "vic"])
    with pytest.raises(Invalid) as strangers:
        check_attendance({"pia"}, ["pia", "sam", "vic"])
    assert strangers.value.errors == {"attended": ["not booked on this session (or already marked): sam, vic"]}

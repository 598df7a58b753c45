"""The coaching view's rules, on plain ratings: strengths and development by score, small groups
suppressed (also as the complement of a school's group), pairs within a school first."""
import pytest

from canopy_kit.errors import Invalid
from observation.domain import coaching
from observation.domain.coaching import PersonRatings

TITLES = {"q": ("6", "Questioning")}


def _ratings(*people):
    return [PersonRatings("q", person, school, score, n) for person, school, score, n in people]


def test_scores_weigh_each_school_by_its_ratings_and_place_a_person_where_most_were_made():
    rows = _ratings(("tom", "ash", 1.0, 3), ("tom", "birch", 0.0, 1))
    assert coaching.scores(rows, None) == {"q": {"tom": {"score": 0.75, "ratings": 4, "school_id": "ash"}}}
    assert coaching.scores(rows, "birch") == {"q": {"tom": {"score": 0.0, "ratings": 1, "school_id": "birch"}}}


def test_strong_people_coach_developing_ones_at_their_school_first_and_no_more_than_two_each():
    strong = [{"person_id": "ada", "school_id": "ash", "score": 0.9}, {"person_id": "bo", "school_id": "birch", "score": 1.0}]
    developing = [{"person_id": p, "school_id": "ash", "score": 0.2} for p in ("c1", "c2", "c3")]
    pairs = coaching.suggest(strong, developing, across_schools=True)
    assert [(p["coach_id"], p["coachee_id"], p["where"]) for p in pairs] == [
        ("ada", "c1", "same_school"), ("ada", "c2", "same_school"), ("bo", "c3", "across_trust")]
    assert len(coaching.suggest(strong, developing, across_schools=False)) == 2  # a school's view stays there


def test_nobody_coaches_themselves():
    me = [{"person_id": "ada", "school_id": "ash", "score": 0.5}]
    assert coaching.suggest(me, me, across_schools=True) == []
    coaching.check_pair("ada", "bo")
    with pytest.raises(Invalid) as caught:
        coaching.check_pair("ada", "ada")
    assert caught.value.errors == {"coachee_id": ["a person cannot coach themselves"]}


def test_a_small_group_is_blanked_and_so_is_the_school_that_would_give_it_away():
    # Three at Ash, one at Birch: the trust's four minus Ash's three would reveal Birch's one.
    rows = _ratings(("a1", "ash", 1.0, 1), ("a2", "ash", 0.9, 1), ("a3", "ash", 0.1, 1), ("b1", "birch", 0.2, 1))
    trust = coaching.view(rows, TITLES, school_id=None, min_group_size=3)[0]
    assert not trust["suppressed"] and trust["people"] == 4 and trust["code"] == "6"
    assert [p["person_id"] for p in trust["strengths"]] == ["a1", "a2"]
    assert [p["person_id"] for p in trust["development"]] == ["a3", "b1"]
    for school in ("ash", "birch"):
        alone = coaching.view(rows, TITLES, school_id=school, min_group_size=3)[0]
        assert alone["suppressed"] and alone["people"] is None and alone["pairs"] == [], school


def test_a_group_at_the_threshold_is_shown_with_its_mean():
    rows = _ratings(("a1", "ash", 1.0, 1), ("a2", "ash", 0.5, 1), ("a3", "ash", 0.0, 1))
    shown = coaching.view(rows, TITLES, school_id="ash", min_group_size=3)[0]
    assert not shown["suppressed"] and shown["mean"] == 0.5 and shown["people"] == 3

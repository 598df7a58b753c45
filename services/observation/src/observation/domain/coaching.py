"""Coaching, as plain rules: per principle, who shows strength and who would benefit from
development, from **reportable** records only (a developmental record is never counted), with
groups of fewer than ``min_group_size`` people suppressed, decided once for the whole trust (a
school's group, and the complement that keeps it from being worked out from the trust's view);
then suggested coach/coachee pairs, within a school first.

A person's score for a principle is the mean of their normalised ratings (0..1, whatever the
form's scale) on items linked to that principle, over the window.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, NamedTuple

from canopy_kit.errors import Invalid
from canopy_kit.privacy.suppression import TOTAL, hidden_cells, table

STRENGTH_AT = 0.75
DEVELOPMENT_AT = 0.5
COACHEES_PER_COACH = 2


class PersonRatings(NamedTuple):
    """One person's ratings on one principle at one school: their mean ``score`` over ``n``."""
    principle_id: str
    observee_id: str
    school_id: str
    score: float
    n: int


def check_pair(coach_id: str, coachee_id: str) -> None:
    if coach_id == coachee_id:
        raise Invalid.on("coachee_id", "a person cannot coach themselves")


def hidden(rows: list[PersonRatings], min_group_size: int) -> set:
    """Which (school or ``TOTAL``, principle) figures to blank: one table of the schools' groups
    and the trust's, so a school's view and the trust's can never be subtracted to reveal a
    small group (``canopy_kit.privacy.suppression``)."""
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        people[(row.school_id, row.principle_id)].add(row.observee_id)
        people[(TOTAL, row.principle_id)].add(row.observee_id)
    return hidden_cells(table({key: len(group) for key, group in people.items()}, row_totals=False),
                        min_group_size)


def scores(rows: list[PersonRatings], school_id: str | None) -> dict[str, dict[str, Any]]:
    """principle -> person -> {"score", "ratings", "school"} for one school or the whole trust."""
    totals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if school_id is None or row.school_id == school_id:
            totals[row.principle_id][row.observee_id].append((row.score, row.n, row.school_id))
    found: dict[str, dict[str, Any]] = {}
    for principle, people in totals.items():
        found[principle] = {}
        for person, parts in people.items():
            n = sum(part[1] for part in parts)
            home = Counter({part[2]: part[1] for part in parts}).most_common(1)[0][0]
            found[principle][person] = {"score": round(sum(s * k for s, k, _ in parts) / n, 4), "ratings": n,
                                        "school_id": home}
    return found


def suggest(strong: list[dict], developing: list[dict], across_schools: bool) -> list[dict]:
    """A coach for each developing person, the strongest free one: at their own school first,
    then (``across_schools``) elsewhere in the trust; nobody coaches more than
    ``COACHEES_PER_COACH`` people, or themselves."""
    load: Counter = Counter()
    pairs = []
    for coachee in developing:
        same = [c for c in strong if c["school_id"] == coachee["school_id"]]
        others = [c for c in strong if c["school_id"] != coachee["school_id"]] if across_schools else []
        for pool, where in ((same, "same_school"), (others, "across_trust")):
            free = [c for c in pool if load[c["person_id"]] < COACHEES_PER_COACH and c["person_id"] != coachee["person_id"]]
            if free:
                coach = max(free, key=lambda c: (c["score"], -load[c["person_id"]]))
                load[coach["person_id"]] += 1
                pairs.append({"coach_id": coach["person_id"], "coachee_id": coachee["person_id"],
                              "school_id": coachee["school_id"], "where": where})
                break
    return pairs


def view(rows: list[PersonRatings], titles: dict[str, tuple[str, str]], *, school_id: str | None,
         min_group_size: int) -> list[dict[str, Any]]:
    """The coaching view of one school (or the trust, ``school_id`` None): per principle (``titles``:
    id -> (code, title)), its people's scores, strengths, development and suggested pairs, or
    nothing but ``suppressed`` where the group is too small."""
    blank = hidden(rows, min_group_size)
    found = []
    for principle, people in sorted(scores(rows, school_id).items()):
        code, title = titles.get(principle, ("", ""))
        entry: dict[str, Any] = {"principle_id": principle, "code": code, "title": title,
                                 "suppressed": (school_id or TOTAL, principle) in blank}
        if entry["suppressed"]:
            found.append({**entry, "people": None, "mean": None, "strengths": [], "development": [], "pairs": []})
            continue
        listed = [{"person_id": p, **v} for p, v in sorted(people.items())]
        strong = sorted((p for p in listed if p["score"] >= STRENGTH_AT), key=lambda p: -p["score"])
        developing = sorted((p for p in listed if p["score"] <= DEVELOPMENT_AT), key=lambda p: p["score"])
        found.append({**entry, "people": len(listed), "mean": round(sum(p["score"] for p in listed) / len(listed), 4),
                      "strengths": strong, "development": developing,
                      "pairs": suggest(strong, developing, across_schools=school_id is None)})
    return found

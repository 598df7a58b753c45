"""Coaching pairs: per principle, who shows strength and who would benefit from development, from
**reportable** records only (a developmental record is never counted), with groups of fewer than
``MIN_GROUP_SIZE`` people suppressed, decided once for the whole trust (a school's group, and the
complement that keeps it from being worked out from the trust's view); then suggested
coach/coachee pairs, within a school first.

A person's score for a principle is the mean of their normalised ratings (0..1, whatever the
form's scale) on items linked to that principle, over the window.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select

from canopy_kit.db.uow import UnitOfWork
from canopy_kit.privacy.suppression import TOTAL, hidden_cells, table
from canopy_kit.web.errors import field_error
from observation.db import coaching_pairs, framework_items, record_ratings, records
from observation.handlers.common import new_id, now

STRENGTH_AT = 0.75
DEVELOPMENT_AT = 0.5
COACHEES_PER_COACH = 2


def _ratings(uow: UnitOfWork, trust_id: str, since: date) -> list:
    """(principle, person, school, mean score, ratings) from reportable, shared records: the whole
    trust, since suppression is decided over all of it whichever school is asked for."""
    query = (select(record_ratings.c.principle_id, records.c.observee_id, records.c.school_id,
                    func.avg(record_ratings.c.normalised).label("score"), func.count().label("n"))
             .join(records, records.c.id == record_ratings.c.record_id)
             .where(record_ratings.c.trust_id == trust_id, records.c.privacy == "reportable",
                    records.c.status != "draft", records.c.observed_on >= since,
                    record_ratings.c.principle_id.is_not(None))
             .group_by(record_ratings.c.principle_id, records.c.observee_id, records.c.school_id))
    return uow.session.execute(query).all()


def _hidden(rows: list, min_group_size: int) -> set:
    """Which (school or ``TOTAL``, principle) figures to blank: one table of the schools' groups
    and the trust's, so a school's view and the trust's can never be subtracted to reveal a
    small group (``canopy_kit.privacy.suppression``)."""
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        people[(row.school_id, row.principle_id)].add(row.observee_id)
        people[(TOTAL, row.principle_id)].add(row.observee_id)
    return hidden_cells(table({key: len(group) for key, group in people.items()}, row_totals=False),
                        min_group_size)


def _scores(rows: list, school_id: str | None) -> dict[str, dict[str, Any]]:
    """principle -> person -> {"score", "ratings", "school"} for one school or the whole trust."""
    totals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if school_id is None or row.school_id == school_id:
            totals[row.principle_id][row.observee_id].append((row.score, row.n, row.school_id))
    scores: dict[str, dict[str, Any]] = {}
    for principle, people in totals.items():
        scores[principle] = {}
        for person, parts in people.items():
            n = sum(part[1] for part in parts)
            home = Counter({part[2]: part[1] for part in parts}).most_common(1)[0][0]
            scores[principle][person] = {"score": round(sum(s * k for s, k, _ in parts) / n, 4), "ratings": n,
                                         "school_id": home}
    return scores


def _suggest(strong: list[dict], developing: list[dict], across_schools: bool) -> list[dict]:
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


def principle_titles(uow: UnitOfWork, trust_id: str) -> dict[str, tuple[str, str]]:
    rows = uow.session.execute(select(framework_items.c.item_id, framework_items.c.code, framework_items.c.title)
                               .where(framework_items.c.trust_id == trust_id))
    return {row.item_id: (row.code, row.title) for row in rows}


def coaching_view(uow: UnitOfWork, *, trust_id: str, school_id: str | None, since: date,
                  min_group_size: int) -> list[dict[str, Any]]:
    titles = principle_titles(uow, trust_id)
    rows = _ratings(uow, trust_id, since)
    hidden = _hidden(rows, min_group_size)
    view = []
    for principle, people in sorted(_scores(rows, school_id).items()):
        code, title = titles.get(principle, ("", ""))
        entry: dict[str, Any] = {"principle_id": principle, "code": code, "title": title,
                                 "suppressed": (school_id or TOTAL, principle) in hidden}
        if entry["suppressed"]:
            view.append({**entry, "people": None, "mean": None, "strengths": [], "development": [], "pairs": []})
            continue
        listed = [{"person_id": p, **v} for p, v in sorted(people.items())]
        strong = sorted((p for p in listed if p["score"] >= STRENGTH_AT), key=lambda p: -p["score"])
        developing = sorted((p for p in listed if p["score"] <= DEVELOPMENT_AT), key=lambda p: p["score"])
        view.append({**entry, "people": len(listed), "mean": round(sum(p["score"] for p in listed) / len(listed), 4),
                     "strengths": strong, "development": developing,
                     "pairs": _suggest(strong, developing, across_schools=school_id is None)})
    return view


def record_pair(uow: UnitOfWork, *, trust_id: str, principle_id: str, coach_id: str, coachee_id: str,
                school_id: str | None, starts_on: date, actor_id: str) -> str:
    if coach_id == coachee_id:
        raise field_error("coachee_id", "a person cannot coach themselves")
    if principle_id not in principle_titles(uow, trust_id):
        raise field_error("principle_id", "no such principle in the trust's frameworks", 404)
    pair_id = new_id()
    uow.session.execute(insert(coaching_pairs).values(
        id=pair_id, trust_id=trust_id, principle_id=principle_id, coach_id=coach_id, coachee_id=coachee_id,
        school_id=school_id, starts_on=starts_on, created_by=actor_id, created_at=now()))
    uow.publish("observation.coaching_pair.recorded", {
        "pair_id": pair_id, "principle_id": principle_id, "coach_id": coach_id, "coachee_id": coachee_id,
        "school_id": school_id, "starts_on": starts_on}, trust_id=trust_id, school_id=school_id, actor_id=actor_id)
    return pair_id

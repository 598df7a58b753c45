"""The rollups kept event by event agree with a rebuild from the facts and with a count made from
scratch from the latest state of every item, whatever the order, duplicates and late deliveries."""
import random
import uuid
from collections import defaultdict

from hypothesis import HealthCheck, given, settings, strategies as st

from reporting.commands.replay import rebuild_rollups

PRINCIPLES = ("P1", "P2", "P3")
STATUS_EVENTS = {"draft": "observation.record.recorded", "shared": "observation.record.shared",
                 "acknowledged": "observation.record.acknowledged"}

record_versions = st.lists(st.tuples(
    st.integers(0, 5),  # which record
    st.sampled_from(("draft", "shared", "acknowledged")),
    st.sampled_from(("reportable", "developmental")),
    st.sampled_from(("Ash", "Birch")),
    st.integers(0, 3),  # which observee
    st.sampled_from(("2025-10-01", "2026-03-01", "2026-10-01")),  # two academic years
    st.dictionaries(st.sampled_from(PRINCIPLES), st.sampled_from((0.0, 0.25, 0.5, 0.75, 1.0)), max_size=3),
), min_size=1, max_size=25)


def record_events(trust, versions):
    """An envelope per version of a record, each newer than the last of its record."""
    ids = [str(uuid.uuid4()) for _ in range(6)]
    envelopes = []
    for which, status, privacy, school, person, day, ratings in versions:
        rated = ratings if privacy == "reportable" and status != "draft" else {}
        event_type, payload = trust.record(trust.staff[school][person], school, rated, status=status, privacy=privacy,
                                           record_id=ids[which], observed_on=day, event=STATUS_EVENTS[status])
        envelopes.append(trust.service.envelope(trust.trust_id, event_type, payload))
    return envelopes


def from_scratch(trust, envelopes):
    """The observation cells, counted from the newest version of each record."""
    newest = {}
    for envelope in envelopes:
        newest[envelope.payload["record_id"]] = envelope  # in time order: the last one is the newest
    cells = defaultdict(lambda: {"ratings": 0, "total": 0.0, "people": set()})
    for envelope in newest.values():
        p = envelope.payload
        if p["privacy"] != "reportable" or p["status"] == "draft":
            continue
        year = int(p["observed_on"][:4]) - (1 if p["observed_on"][5:7] < "09" else 0)
        for rating in p["ratings"]:
            for school in (p["school_id"], "all"):
                cell = cells[(year, school, rating["principle_id"])]
                cell["ratings"] += 1
                cell["total"] += rating["normalised"]
                cell["people"].add(p["observee_id"])
    return {key: (len(c["people"]), c["ratings"], round(c["total"], 6)) for key, c in cells.items()}


def principle_cells(trust):
    return {(year, school, principle): (people, ratings, total)
            for _trust, year, school, principle, people, ratings, total, *_ in trust.cells()["obs_principle"]
            if people}


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(versions=record_versions, seed=st.integers(0, 10_000), batch=st.integers(1, 7))
def test_incremental_rebuilt_replayed_and_from_scratch_agree(make_trust, versions, seed, batch):
    trust = make_trust()  # a new trust per example, in the same database
    envelopes = record_events(trust, versions)
    shuffled = list(envelopes)
    random.Random(seed).shuffle(shuffled)
    shuffled += random.Random(seed + 1).sample(envelopes, k=min(3, len(envelopes)))  # redeliveries
    for start in range(0, len(shuffled), batch):
        trust.service.deliver(shuffled[start:start + batch])

    assert principle_cells(trust) == from_scratch(trust, envelopes), "kept event by event"
    cells = trust.cells()
    rebuilt, replayed = trust.rebuilt_and_replayed()
    assert rebuilt == cells, "rebuilt from the facts"
    assert replayed == cells, "replayed from the event log"


activity_versions = st.lists(st.tuples(
    st.integers(0, 4),  # which activity
    st.sampled_from(("Ash", "Birch", None)),  # None: recorded while at no school
    st.integers(0, 3),  # whose
    st.sampled_from(("course", "inset", "coaching")),
    st.sampled_from(("0.00", "1.50", "6.00")),
    st.sampled_from(("0.00", "99.99", "250.00")),
    st.sampled_from(("2025-10-01", "2026-10-01")),
), min_size=1, max_size=15)


def activity_events(trust, versions):
    ids = [str(uuid.uuid4()) for _ in range(5)]
    envelopes = []
    for which, school, person, kind, hours, cost, day in versions:
        staff = trust.staff[school or "Cedar"][person]
        event_type, payload = trust.activity(staff, school, hours=hours, cost=cost, activity_type=kind,
                                             activity_id=ids[which], starts_on=day,
                                             event="portfolio.cpd.updated" if which % 2 else "portfolio.cpd.recorded")
        envelopes.append(trust.service.envelope(trust.trust_id, event_type, payload))
    return envelopes


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(versions=activity_versions, seed=st.integers(0, 10_000))
def test_cpd_rollups_agree_with_a_count_from_scratch_and_a_rebuild(reporting, make_trust, versions, seed):
    trust = make_trust()
    envelopes = activity_events(trust, versions)
    shuffled = envelopes + envelopes[:2]
    random.Random(seed).shuffle(shuffled)
    for start in range(0, len(shuffled), 4):
        trust.service.deliver(shuffled[start:start + 4])

    newest = {e.payload["activity_id"]: e.payload for e in envelopes}
    expected = defaultdict(lambda: [set(), 0, 0.0])
    for p in newest.values():
        year = int(p["starts_on"][:4]) - (1 if p["starts_on"][5:7] < "09" else 0)
        for school in (p["school_id"] or "none", "all"):
            cell = expected[(year, school)]
            cell[0].add(p["person_id"])
            cell[1] += 1
            cell[2] += float(p["hours"])
    kept = {(year, school): (people, activities, hours)
            for _t, year, school, people, activities, hours, *_ in trust.cells()["cpd_school"]}
    assert kept == {key: (len(c[0]), c[1], round(c[2], 6)) for key, c in expected.items()}
    cells = trust.cells()
    with reporting.runtime.uow_factory() as uow:
        rebuild_rollups(uow, trust.trust_id)
        uow.commit()
    assert trust.cells() == cells


def test_a_late_event_changes_nothing_and_a_duplicate_counts_once(trust):
    service = trust.service
    record_id = str(uuid.uuid4())
    first = service.envelope(trust.trust_id, *trust.record(trust.teacher, "Ash", {"P1": 0.25}, record_id=record_id))
    second = service.envelope(trust.trust_id, *trust.record(trust.teacher, "Ash", {"P1": 1.0}, record_id=record_id,
                                                            status="acknowledged",
                                                            event="observation.record.acknowledged"))
    assert service.deliver([second]) == ["handled"]
    assert service.deliver([first, second]) == ["handled", "duplicate"]  # first is late: handled, no effect
    cells = principle_cells(trust)
    assert cells[(2025, trust.schools["Ash"], trust.principles["P1"])] == (1, 1, 1.0)

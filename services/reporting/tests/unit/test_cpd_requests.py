"""CPD requests from portfolio's two events into one fact per request and its cells per school and
status: in either order, delivered again, late, and never another trust's."""
import dataclasses
import random
import uuid
from collections import defaultdict

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from reporting.rollups import ALL_SCHOOLS
from reporting.tables import cpd_requests

YEAR = 2025  # the fixture's year: its requests start on 3 November 2025


def request_cells(trust) -> dict:
    """(school, status) -> (people, requests, cost asked, cost approved), for the tests' year."""
    return {(school, status): (people, requests, cost_asked, cost_approved)
            for _t, year, school, status, people, requests, cost_asked, cost_approved in trust.cells()["cpd_request"]
            if year == YEAR}


def fact(trust, request_id: str):
    with trust.service.runtime.engine.connect() as conn:
        return conn.execute(select(cpd_requests).where(cpd_requests.c.request_id == request_id)).mappings().one()


def test_a_pending_request_counts_as_pending_until_it_is_approved(trust):
    ash = trust.schools["Ash"]
    asked = trust.request(trust.teacher, "Ash", cost="150.00")
    trust.service.feed(trust.trust_id, [asked])
    assert request_cells(trust) == {(ash, "pending"): (1, 1, 150.0, 0.0), (ALL_SCHOOLS, "pending"): (1, 1, 150.0, 0.0)}

    trust.service.feed(trust.trust_id, [trust.decision(asked, "approved")])
    assert request_cells(trust) == {(ash, "approved"): (1, 1, 150.0, 150.0),
                                    (ALL_SCHOOLS, "approved"): (1, 1, 150.0, 150.0)}
    row = fact(trust, asked[1]["request_id"])
    assert (row["status"], row["academic_year"], row["cover_needed"], row["decided_at"] is not None) \
        == ("approved", YEAR, True, True)


def test_a_declined_request_adds_nothing_to_the_cost_approved(trust):
    birch = trust.schools["Birch"]
    asked = [trust.request(p, "Birch", cost="80.00") for p in trust.staff["Birch"][:2]]
    trust.service.feed(trust.trust_id, [*asked, trust.decision(asked[0], "declined")])
    cells = request_cells(trust)
    assert cells[(birch, "declined")] == (1, 1, 80.0, 0.0)
    assert cells[(birch, "pending")] == (1, 1, 80.0, 0.0)


def test_an_event_delivered_again_has_no_second_effect(trust):
    service = trust.service
    asked = trust.request(trust.teacher, "Ash")
    submitted = service.envelope(trust.trust_id, *asked)
    decided = service.envelope(trust.trust_id, *trust.decision(asked))
    assert service.deliver([submitted, decided]) == ["handled", "handled"]
    cells = request_cells(trust)
    assert service.deliver([decided, submitted]) == ["duplicate", "duplicate"]
    # The same events published again under new ids (a producer that retried): the same facts.
    again = [dataclasses.replace(e, event_id=str(uuid.uuid4())) for e in (submitted, decided)]
    assert service.deliver(again) == ["handled", "handled"]
    assert request_cells(trust) == cells and cells[(trust.schools["Ash"], "approved")][1] == 1


def test_a_decision_that_arrives_before_its_submission_stands(trust):
    service = trust.service
    asked = trust.request(trust.teacher, "Ash", cost="60.00")
    submitted = service.envelope(trust.trust_id, *asked)
    decided = service.envelope(trust.trust_id, *trust.decision(asked, "declined"))
    assert service.deliver([decided]) == ["handled"]
    # Held, but counted nowhere yet: without its submission it has no year.
    assert fact(trust, asked[1]["request_id"])["status"] == "declined" and request_cells(trust) == {}

    assert service.deliver([submitted]) == ["handled"]
    row = fact(trust, asked[1]["request_id"])
    assert (row["status"], float(row["cost_asked"]), row["starts_on"].isoformat()) == ("declined", 60.0, "2025-11-03")
    assert request_cells(trust) == {(trust.schools["Ash"], "declined"): (1, 1, 60.0, 0.0),
                                    (ALL_SCHOOLS, "declined"): (1, 1, 60.0, 0.0)}


def test_a_late_submission_changes_nothing_a_newer_one_wrote(trust):
    service = trust.service
    request_id = str(uuid.uuid4())
    older = service.envelope(trust.trust_id, *trust.request(trust.teacher, "Ash", cost="10.00", request_id=request_id))
    newer = service.envelope(trust.trust_id, *trust.request(trust.teacher, "Ash", cost="20.00", request_id=request_id))
    assert service.deliver([newer]) == ["handled"]
    assert service.deliver([older]) == ["handled"]
    assert request_cells(trust)[(trust.schools["Ash"], "pending")] == (1, 1, 20.0, 0.0)


def test_another_trusts_requests_are_never_counted(trust, reporting):
    other = type(trust)(reporting, slug="elm")
    theirs = [other.request(p, "Ash", cost="999.00") for p in other.staff["Ash"]]
    reporting.feed(other.trust_id, [*theirs, *[other.decision(r) for r in theirs]])
    trust.service.feed(trust.trust_id, [trust.request(p, "Ash") for p in trust.staff["Ash"][:3]])

    assert request_cells(trust) == {(trust.schools["Ash"], "pending"): (3, 3, 360.0, 0.0),
                                    (ALL_SCHOOLS, "pending"): (3, 3, 360.0, 0.0)}
    assert request_cells(other)[(ALL_SCHOOLS, "approved")] == (6, 6, 5994.0, 5994.0)


requests = st.lists(st.tuples(
    st.sampled_from(("Ash", "Birch")),
    st.integers(0, 3),  # whose
    st.sampled_from((None, "approved", "declined")),  # None: still pending
    st.sampled_from(("0.00", "45.50", "300.00")),
    st.sampled_from(("2025-10-01", "2026-10-01")),  # two academic years
), min_size=1, max_size=12)


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(versions=requests, seed=st.integers(0, 10_000), batch=st.integers(1, 5))
def test_request_cells_agree_with_a_count_from_scratch_a_rebuild_and_a_replay(make_trust, versions, seed, batch):
    trust = make_trust()
    envelopes, expected = [], defaultdict(lambda: [set(), 0, 0.0, 0.0])
    for school, person, decision, cost, day in versions:
        asked = trust.request(trust.staff[school][person], school, cost=cost, starts_on=day)
        envelopes.append(trust.service.envelope(trust.trust_id, *asked))
        if decision:
            envelopes.append(trust.service.envelope(trust.trust_id, *trust.decision(asked, decision)))
        year = int(day[:4]) - (1 if day[5:7] < "09" else 0)
        for cell_school in (trust.schools[school], ALL_SCHOOLS):
            cell = expected[(year, cell_school, decision or "pending")]
            cell[0].add(asked[1]["person_id"])
            cell[1] += 1
            cell[2] += float(cost)
            cell[3] += float(cost) if decision == "approved" else 0.0
    shuffled = envelopes + random.Random(seed + 1).sample(envelopes, k=min(3, len(envelopes)))  # redeliveries
    random.Random(seed).shuffle(shuffled)  # decisions before their submissions, too
    for start in range(0, len(shuffled), batch):
        trust.service.deliver(shuffled[start:start + batch])

    kept = {(year, school, status): (people, n, asked, approved)
            for _t, year, school, status, people, n, asked, approved in trust.cells()["cpd_request"]}
    assert kept == {key: (len(c[0]), c[1], round(c[2], 6), round(c[3], 6)) for key, c in expected.items()}
    cells = trust.cells()
    rebuilt, replayed = trust.rebuilt_and_replayed()
    assert rebuilt == cells, "rebuilt from the facts"
    assert replayed == cells, "replayed from the event log"

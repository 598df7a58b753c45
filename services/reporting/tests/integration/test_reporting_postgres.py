"""Reporting on PostgreSQL: the dashboards, the SQL rebuild and the replay, and two consumers
racing on the same cells without losing a count."""
import threading

import pytest

from reporting.commands.replay import rebuild_rollups, replay

pytestmark = pytest.mark.integration

CONSUMERS = 4


def test_reports_rebuild_and_replay_on_postgres(pg_trust):
    trust, service = pg_trust, pg_trust.service
    events = [trust.record(p, s, {"P1": 0.75, "P2": 0.25}) for s in ("Ash", "Birch") for p in trust.staff[s][:4]]
    events += [trust.activity(p, "Ash", cost="120.00") for p in trust.staff["Ash"]]
    events += [trust.evaluation(p, "Ash", reaction=5) for p in trust.staff["Ash"][:3]]
    service.feed(trust.trust_id, events)

    body = trust.report("observations").json
    whole = next(r for r in body["rows"] if r["school_id"] == "all" and r["code"] == "P1")
    assert (whole["people"], whole["ratings"], whole["strong_share"]) == (8, 8, 1.0)
    cpd = next(r for r in trust.report("cpd").json["rows"] if r["school_id"] == trust.schools["Ash"])
    assert (cpd["people"], cpd["cost"], cpd["hours_per_person"]) == (6, 720.0, 6.0)

    cells = trust.cells()
    with service.runtime.uow_factory() as uow:
        rebuild_rollups(uow, trust.trust_id)
        uow.commit()
    assert trust.cells() == cells
    with service.runtime.uow_factory() as uow:
        assert replay(uow, service.registry) >= len(events)
        uow.commit()
    assert trust.cells() == cells


def test_consumers_racing_on_the_same_cells_lose_nothing(pg_trust):
    trust, service = pg_trust, pg_trust.service
    people = trust.staff["Ash"]
    envelopes = [service.envelope(trust.trust_id, *trust.record(people[i % len(people)], "Ash", {"P1": 1.0}))
                 for i in range(240)]
    shares = [envelopes[n::CONSUMERS] for n in range(CONSUMERS)]  # every cell is every consumer's
    failures = []

    def consume(mine):
        for start in range(0, len(mine), 6):
            batch = mine[start:start + 6]
            for _attempt in range(5):  # a failed event is redelivered, as the broker would
                outcomes = service.deliver(batch)
                batch = [e for e, outcome in zip(batch, outcomes) if outcome == "failed"]
                if not batch:
                    break
            failures.extend(batch)

    threads = [threading.Thread(target=consume, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    rows = {r["school_id"]: r for r in trust.report("observations").json["rows"] if r["code"] == "P1"}
    assert (rows[trust.schools["Ash"]]["ratings"], rows[trust.schools["Ash"]]["people"]) == (240, len(people))
    assert rows["all"]["ratings"] == 240

"""Observation on PostgreSQL: migrations, an offline drop-in retried (also at once), racing acknowledgements."""
import threading

import pytest
from sqlalchemy import func, inspect, select

from canopy_kit.testing import outbox_events
from observation.tables import records

pytestmark = pytest.mark.integration


def _at_once(app, calls):
    """Run each call in its own thread, released together; returns their responses."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        with app.test_client() as client:
            barrier.wait()
            results[index] = call(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_migrations_create_the_tables(observation_pg):
    tables = set(inspect(observation_pg.runtime.engine).get_table_names())
    assert {"frameworks", "framework_versions", "framework_items", "templates", "template_versions", "records",
            "action_steps", "record_shares", "record_ratings", "coaching_pairs", "dir_people", "outbox"} <= tables


def test_an_offline_drop_in_posted_three_times_at_once_and_again_exists_once(observation_pg, pg_form, pg_drop_in):
    trust = pg_form["trust"]
    headers = {**trust.headers(trust.coach), "Idempotency-Key": "tablet-3-dropin-19"}
    body = pg_drop_in()
    app = observation_pg.client.application
    answers = _at_once(app, [lambda c: c.post("/v1/records", headers=headers, json=body)] * 3)
    answers.append(observation_pg.client.post("/v1/records", headers=headers, json=body))
    # Every post, racing or retried, gets the one record's answer.
    assert [a.status_code for a in answers] == [201] * 4, [a.json for a in answers]
    assert len({a.json["id"] for a in answers}) == 1
    with observation_pg.runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 1
    assert len([e for e in outbox_events(observation_pg.runtime)
                if e.event_type == "observation.record.recorded"]) == 1


def test_two_acknowledgements_at_once_one_wins_the_other_gets_409(observation_pg, pg_form, pg_drop_in):
    trust = pg_form["trust"]
    created = observation_pg.client.post("/v1/records", headers=trust.headers(trust.coach), json=pg_drop_in())
    record_id, headers = created.json["id"], trust.headers(trust.teacher)
    answers = _at_once(observation_pg.client.application, [
        lambda c: c.post(f"/v1/records/{record_id}/acknowledge", headers=headers, json={"response": "first"}),
        lambda c: c.post(f"/v1/records/{record_id}/acknowledge", headers=headers, json={"response": "second"})])
    assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
    acknowledged = [e for e in outbox_events(observation_pg.runtime)
                    if e.event_type == "observation.record.acknowledged"]
    assert len(acknowledged) == 1

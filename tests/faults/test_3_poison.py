"""Poison of every kind, published straight into every consumer's queue in the middle of a
backlog of real events, with a low quorum delivery limit on the queues: each poison message is
dead-lettered alone, its neighbours handled, and the consumers carry on. A real event whose
handler always fails is dead-lettered alone too; one that fails until the fault is fixed is
re-driven with the operator's tool, which reads every letter."""
from __future__ import annotations

import json
import time
from contextlib import ExitStack

import pytest
from sqlalchemy import text

from canopy_kit.production.rabbitmq import AT_LEAST_ONCE
from canopy_kit.settings import Settings
from canopy_kit.testing.faults.consistency import consumed_types
from canopy_kit.testing.faults.injections import paused, poison_kinds, publish_poison
from canopy_kit.testing.http import http

pytestmark = pytest.mark.integration

LOW_DELIVERY_LIMIT = 2  # a message returned with the poison twice would die with it
REFUSE = """
CREATE OR REPLACE FUNCTION faults_refuse() RETURNS trigger AS $$
BEGIN
    IF NEW.given_name = ANY (string_to_array('{names}', ',')) THEN
        RAISE EXCEPTION 'refused by the fault tier: %', NEW.given_name;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS faults_refuse ON dir_people;
CREATE TRIGGER faults_refuse BEFORE INSERT OR UPDATE ON dir_people FOR EACH ROW EXECUTE FUNCTION faults_refuse();
"""


def _a_published_event(tier) -> str:
    with tier.platform.engine("identity").connect() as conn:
        return conn.execute(text("SELECT envelope FROM outbox WHERE event_type = 'identity.person.registered' "
                                 "LIMIT 1")).scalar_one()


def test_poison_of_every_kind_dies_alone(tier):
    platform, rabbitmq = tier.platform, tier.rabbitmq
    prefix = Settings.from_env("reporting", platform.env).queue_name("")
    rabbitmq.set_policy("faults-low-delivery-limit", f"^{prefix}[a-z0-9_-]+\\.events$",
                        {"delivery-limit": LOW_DELIVERY_LIMIT, **AT_LEAST_ONCE}, priority=10)
    kinds = poison_kinds(_a_published_event(tier))
    try:
        with tier.load.running():
            consumers = consumed_types()
            pids = [platform.pid(f"{consumer}-consumer") for consumer in consumers]
            with ExitStack() as stack:  # a backlog forms, with the poison in its middle
                for pid in pids:
                    stack.enter_context(paused(pid))
                time.sleep(1.5)
                for consumer in consumers:
                    queue = Settings.from_env(consumer, platform.env).queue_name(consumer)
                    tier.expected.poison.setdefault(consumer, set()).update(
                        publish_poison(rabbitmq.url, queue, kinds))
                time.sleep(1.5)
            ended = tier.after_fault()
        tier.settle("poison of every kind", f"{len(kinds)} kinds ({', '.join(kinds)}) into each of "
                    f"{len(consumers)} consumers' queues amid a backlog, quorum delivery limit "
                    f"{LOW_DELIVERY_LIMIT}", ended)
    finally:
        rabbitmq.ctl("clear_policy", "faults-low-delivery-limit")
    tier.ledger.add_check("poison of every kind, innocent neighbours with a low delivery limit (findings 1, 2)",
                          f"{len(kinds)} kinds x {len(consumers)} consumers dead-lettered, 0 innocent dead letters")


def test_the_dead_letter_tool_reads_every_letter(tier):
    poison = tier.expected.poison["reporting"]
    listed = tier.platform.cli("reporting", "dead-letters", "list")
    assert listed.returncode == 0, listed.stderr
    assert poison <= {letter["event_id"] for letter in json.loads(listed.stdout)}
    for event_id in sorted(poison)[:3]:
        shown = tier.platform.cli("reporting", "dead-letters", "show", event_id)
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["event_id"] == event_id
    tier.ledger.add_check("`canopy reporting dead-letters list` and `show` on every kind of poison (finding 3)",
                          f"{len(poison)} letters listed, 3 shown")


def _add_person(tier, given_name: str) -> str:
    reply = http("POST", f"{tier.platform.gateway}/api/identity/v1/people",
                 {"given_name": given_name, "family_name": "Faults",
                  "email": f"{given_name.lower()}-{tier.platform.unique}@example.org"}, headers=tier.platform.auth())
    assert reply.status == 201, reply.body
    with tier.platform.engine("identity").connect() as conn:
        return conn.execute(text("SELECT event_id FROM outbox WHERE event_type = 'identity.person.registered' "
                                 "AND envelope LIKE :id"), {"id": f"%{reply.json()['id']}%"}).scalar_one()


def test_a_failing_handler_dies_alone_and_is_redriven_once_fixed(tier):
    reporting = tier.platform.engine("reporting")
    with reporting.begin() as conn:
        conn.execute(text(REFUSE.format(names="Doomed,Mended")))
    with tier.load.running():
        time.sleep(1)
        doomed, mended = _add_person(tier, "Doomed"), _add_person(tier, "Mended")
        tier.expected.failing["reporting"] = {doomed, mended}
        ended = tier.after_fault()
    tier.settle("a handler that always fails", "reporting's directory refuses two people (a trigger that "
                "raises); each event is retried, then dead-lettered alone", ended)

    with reporting.begin() as conn:
        conn.execute(text(REFUSE.format(names="Doomed")))  # the fault is fixed for one of them
    shown = tier.platform.cli("reporting", "dead-letters", "show", mended)
    assert shown.returncode == 0 and "refused by the fault tier" in json.loads(shown.stdout)["error"], shown.stdout
    started = time.monotonic()
    redriven = tier.platform.cli("reporting", "dead-letters", "redrive", mended)
    assert redriven.returncode == 0 and "re-drove 1 " in redriven.stdout, redriven.stdout + redriven.stderr
    tier.expected.failing["reporting"] = {doomed}
    tier.settle("a handler fixed, its letter re-driven", "`canopy reporting dead-letters redrive EVENT_ID` after "
                "the fix: handled once; the other stays dead", started)

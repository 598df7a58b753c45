"""Every contract's example validates; producers are strict, consumers tolerant; the envelope is
checked on the way in."""
import json
import uuid

import pytest

from canopy_contracts import (
    ContractError, Envelope, EnvelopeError, UnknownEventType, default_registry, new_envelope,
)
from canopy_contracts.envelope import EVENT_TYPE_PATTERN

REGISTRY = default_registry()


def test_identity_events_are_registered():
    assert {"identity.trust.created", "identity.person.registered", "identity.employment.started",
            "identity.role.granted", "identity.line_manager.assigned", "identity.school.added"} <= set(
        REGISTRY.event_types("identity"))


@pytest.mark.parametrize("contract", list(REGISTRY), ids=lambda c: f"{c.event_type}.v{c.version}")
def test_every_example_round_trips(contract):
    import re

    assert re.match(EVENT_TYPE_PATTERN, contract.event_type)
    loaded = contract.load(contract.example)
    assert contract.dump(loaded) == contract.example


def test_producer_may_not_send_unknown_or_missing_fields():
    contract = REGISTRY.latest("identity.person.registered")
    with pytest.raises(ContractError) as unknown:
        contract.dump({**contract.load(contract.example), "shoe_size": 9})
    assert "shoe_size" in unknown.value.errors
    values = contract.load(contract.example)
    del values["email"]
    with pytest.raises(ContractError) as missing:
        contract.dump(values)
    assert "email" in missing.value.errors


def test_consumer_ignores_fields_added_later():
    contract = REGISTRY.latest("identity.person.registered")
    assert "added_in_future" not in contract.load({**contract.example, "added_in_future": 1})


def test_unknown_event_type_or_version():
    with pytest.raises(UnknownEventType):
        REGISTRY.get("identity.person.registered", 99)
    with pytest.raises(UnknownEventType):
        REGISTRY.latest("nobody.nothing.happened")


def test_envelope_round_trip_and_validation():
    envelope = new_envelope(event_type="identity.trust.created", version=1, producer="identity",
                            trust_id=uuid.uuid4(), payload={"x": 1})
    assert envelope.correlation_id == envelope.event_id  # a new action starts its own correlation
    assert Envelope.from_json(envelope.to_json()) == envelope
    broken = {**json.loads(envelope.to_json()), "occurred_at": "yesterday", "version": "1"}
    with pytest.raises(EnvelopeError) as caught:
        Envelope.from_dict(broken)
    assert {"occurred_at", "version"} <= set(caught.value.errors)
    with pytest.raises(EnvelopeError):
        Envelope.from_json(b"\xff not json")
    with pytest.raises(EnvelopeError):
        new_envelope(event_type="Bad Type", version=1, producer="x", trust_id=uuid.uuid4(), payload={})


def test_the_hand_check_agrees_with_the_envelope_schema():
    """Received envelopes are checked by hand for speed; the schema documents them: both must
    accept and refuse the same things."""
    from canopy_contracts.envelope import EnvelopeSchema, envelope_problems

    good = json.loads(new_envelope(event_type="identity.trust.created", version=1, producer="identity",
                                   trust_id=uuid.uuid4(), payload={}).to_json())
    cases = [good, {**good, "event_id": "nope"}, {**good, "version": 0}, {**good, "version": True},
             {**good, "occurred_at": "2025-01-01T00:00:00"}, {**good, "school_id": None}, {**good, "extra": 1},
             {k: v for k, v in good.items() if k != "payload"}, {**good, "producer": ""},
             {**good, "event_type": "Identity.Trust"}, {**good, "causation_id": None}, {**good, "payload": []}]
    for case in cases:
        assert set(envelope_problems(case)) == set(EnvelopeSchema().validate(case)), case

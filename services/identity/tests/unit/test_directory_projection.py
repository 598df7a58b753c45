"""Another service's copy of the directory, kept only from identity's events, decides permissions
the same way identity does, whatever order or number of times the events arrive."""
import random
from datetime import date
from pathlib import Path

from sqlalchemy import MetaData

from canopy_kit.auth import Principal
from canopy_kit.auth.permissions import Permissions
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import ProjectedDirectory, subscribe_directory
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, outbox_events, prepare_database
from identity.directory import IdentityDirectory
from identity import tokens


def _consumer(tmp_path):
    spec = ServiceSpec(name="reader", title="reader", metadata=MetaData(), migrations_dir=Path("/none"),
                       blueprints=list, subscriptions=lambda: subscribe_directory(Subscriptions()))
    runtime = Runtime(spec, make_settings("reader", database_url=f"sqlite:///{tmp_path / 'reader.db'}"))
    prepare_database(runtime)
    return runtime, InboxProcessor("reader", runtime.uow_factory, runtime.subscriptions, runtime.registry)


def _deliver(processor, envelopes):
    processor.process([Delivery(body=e.to_json(), message_id=e.event_id) for e in envelopes])


def _decisions(directory, trust, session):
    people = [trust.admin, trust.head_a, trust.head_b, trust.manager, trust.other_manager, trust.teacher,
              trust.colleague, trust.teacher_b, trust.leader]
    out = {}
    for caller in people:
        principal = Principal(caller, trust.trust_id, tokens.current_grants(session, caller))
        perms = Permissions(principal, directory, date.today())
        for subject in people:
            for action in ("staff.read", "appraisal.read", "observation.read"):
                out[(caller, subject, action)] = (perms.about(action, subject),
                                                  perms.record_windows(action, subject))
    return out


def test_projection_agrees_with_identity_even_shuffled_and_duplicated(identity, trust, tmp_path):
    employment = identity.client.get(f"/v1/people/{trust.teacher}", headers=trust.headers(trust.admin)).json
    identity.client.post(f"/v1/people/{trust.teacher}/transfers", headers=trust.headers(trust.admin), json={
        "from_employment_id": employment["employments"][0]["id"], "to_school_id": trust.school_b,
        "effective_on": "2025-09-01"})
    events = outbox_events(identity.runtime)
    runtime, processor = _consumer(tmp_path)
    shuffled = events + events[::3]  # every third event twice
    random.Random(7).shuffle(shuffled)
    for start in range(0, len(shuffled), 10):
        _deliver(processor, shuffled[start:start + 10])

    with identity.runtime.uow_factory() as mine, runtime.uow_factory() as theirs:
        expected = _decisions(IdentityDirectory(mine.session), trust, mine.session)
        projected = _decisions(ProjectedDirectory(theirs.session), trust, mine.session)
    assert projected == expected
    # The point of it all: after the transfer, school A's head sees only the teacher's time at A.
    head_a_view = expected[(trust.head_a, trust.teacher, "appraisal.read")]
    assert head_a_view[0] is False
    assert [(p.school_id, p.ends_on) for p in head_a_view[1]] == [(trust.school_a, date(2025, 8, 31))]
    assert expected[(trust.teacher, trust.teacher, "appraisal.read")] == (True, None)
    runtime.dispose()


def test_an_older_event_never_overwrites_a_newer_one(identity, trust, tmp_path):
    identity.client.patch(f"/v1/people/{trust.teacher}", json={"preferred_name": "Tommy"},
                          headers=trust.headers(trust.admin))
    events = [e for e in outbox_events(identity.runtime) if e.payload.get("person_id") == trust.teacher
              and e.event_type in ("identity.person.registered", "identity.person.updated")]
    runtime, processor = _consumer(tmp_path)
    _deliver(processor, list(reversed(events)))  # the update first, the registration late
    from sqlalchemy import select

    from canopy_kit.projections.directory_tables import dir_people

    with runtime.engine.connect() as conn:
        name = conn.execute(select(dir_people.c.preferred_name).where(dir_people.c.person_id == trust.teacher)).scalar()
    assert name == "Tommy"
    runtime.dispose()

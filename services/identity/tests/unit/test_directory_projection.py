"""Another service's copy of the directory, kept only from identity's events, decides permissions
the same way identity does, whatever order or number of times the events arrive."""
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from canopy_kit.auth import Principal
from canopy_kit.auth.permissions import Permissions
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import ProjectedDirectory, subscribe_directory
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing import make_settings, outbox_events, prepare_database
from identity.access import IdentityDirectory
from identity import queries, tokens


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

    from canopy_kit.db.tables import dir_people

    with runtime.engine.connect() as conn:
        name = conn.execute(select(dir_people.c.preferred_name).where(dir_people.c.person_id == trust.teacher)).scalar()
    assert name == "Tommy"
    runtime.dispose()


@pytest.mark.parametrize("days_after_last_day", [0, 1, 2])
def test_transfer_ends_line_management_starting_on_or_after_the_last_day(identity, trust, tmp_path,
                                                                         days_after_last_day):
    """Case 5: line management at the old school that starts on the transfer's last day, or after
    it, ends with the employment; no old manager keeps the person, in identity or in a projection."""
    admin = trust.headers(trust.admin)
    effective_on = date.today()
    last_day = effective_on - timedelta(days=1)
    starts_on = last_day + timedelta(days=days_after_last_day)
    assigned = identity.client.post("/v1/line-managers", headers=admin, json={
        "person_id": trust.teacher, "manager_id": trust.other_manager, "school_id": trust.school_a,
        "starts_on": starts_on.isoformat()})
    assert assigned.status_code == 201, assigned.json
    employment = identity.client.get(f"/v1/people/{trust.teacher}", headers=admin).json["employments"][0]
    moved = identity.client.post(f"/v1/people/{trust.teacher}/transfers", headers=admin, json={
        "from_employment_id": employment["id"], "to_school_id": trust.school_b,
        "effective_on": effective_on.isoformat()})
    assert moved.status_code == 201, moved.json

    history = identity.client.get(f"/v1/people/{trust.teacher}", headers=admin).json["line_managers"]
    # Everything ends by the last day; the new period, if it was to start later, before it starts.
    assert [(m["manager_id"], m["starts_on"], m["ends_on"]) for m in history] == [
        (trust.manager, "2024-09-01", min(starts_on - timedelta(days=1), last_day).isoformat()),
        (trust.other_manager, starts_on.isoformat(), last_day.isoformat())]
    for manager in (trust.manager, trust.other_manager):
        appraisees = identity.client.get("/v1/me/appraisees", headers=trust.headers(manager)).json["items"]
        assert trust.teacher not in {p["id"] for p in appraisees}
    days = [effective_on + timedelta(days=n) for n in range(5)]
    with identity.runtime.uow_factory() as uow:
        assert all(trust.teacher not in uow.session.execute(queries.appraisees(m, day)).scalars().all()
                   for m in (trust.manager, trust.other_manager) for day in days)

    runtime, processor = _consumer(tmp_path)
    events = outbox_events(identity.runtime)
    shuffled = events + events[::2]
    random.Random(days_after_last_day).shuffle(shuffled)
    _deliver(processor, shuffled)
    with identity.runtime.uow_factory() as mine, runtime.uow_factory() as theirs:
        projected = ProjectedDirectory(theirs.session)
        assert all(projected.managed_at(m, trust.teacher, day) == set()
                   for m in (trust.manager, trust.other_manager) for day in days)
        assert _decisions(projected, trust, mine.session) == _decisions(IdentityDirectory(mine.session), trust,
                                                                        mine.session)
    runtime.dispose()


def _post(identity, trust, path, body):
    return identity.client.post(path, json=body, headers=trust.headers(trust.admin))


def _get(identity, trust, path):
    return identity.client.get(path, headers=trust.headers(trust.admin))


def test_line_management_outlives_one_of_two_employments_at_the_same_school(identity, trust):
    """Line management at a school lasts while the person works there: ending one of two jobs at
    the school keeps it; ending the other ends it with that job."""
    second = _post(identity, trust, f"/v1/people/{trust.colleague}/employments", {
        "school_id": trust.school_a, "job_title": "Exams Officer", "staff_category": "support", "fte": 0.2,
        "starts_on": "2024-09-01"})
    assert second.status_code == 201, second.json
    jobs = {j["id"]: j for j in _get(identity, trust, f"/v1/people/{trust.colleague}").json["employments"]}
    first = next(job_id for job_id in jobs if job_id != second.json["id"])
    assert _post(identity, trust, f"/v1/employments/{first}/end", {"on": "2025-08-31"}).status_code == 204
    history = _get(identity, trust, f"/v1/people/{trust.colleague}").json["line_managers"]
    assert [(m["manager_id"], m["ends_on"]) for m in history] == [(trust.other_manager, None)]
    ended = _post(identity, trust, f"/v1/employments/{second.json['id']}/end", {"on": "2025-12-31"})
    assert ended.status_code == 204
    history = _get(identity, trust, f"/v1/people/{trust.colleague}").json["line_managers"]
    assert [(m["manager_id"], m["ends_on"]) for m in history] == [(trust.other_manager, "2025-12-31")]

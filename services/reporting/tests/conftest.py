"""A reporting service on a given database, fed other services' events through the kit's inbox the
way its consumer feeds it, and a small trust to report on."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from canopy_contracts import default_registry, new_envelope
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import TokenMinter
from canopy_kit.web.app import create_service_app
from reporting.rollups import ALL
from reporting.service import SERVICE

PRODUCERS = {"identity": "identity", "observation": "observation", "portfolio": "portfolio"}
START = "2024-09-01"
YEAR = 2025  # the academic year 2025-26 the tests report on
ON = "2025-11-03"


class Reporting:
    def __init__(self, database_url: str, **settings_changes):
        self.minter = TokenMinter()
        settings = make_settings("reporting", database_url=database_url, **settings_changes)
        self.runtime = Runtime(self.minter.spec_with_keys(SERVICE), settings)
        prepare_database(self.runtime)
        self.client = create_service_app(self.runtime, testing=True).test_client()
        self.inbox = InboxProcessor("reporting", self.runtime.uow_factory, self.runtime.subscriptions,
                                    self.runtime.registry)
        self.registry = default_registry()
        self.clock = datetime(2025, 11, 1, tzinfo=timezone.utc)

    def envelope(self, trust_id: str, event_type: str, payload: dict, *, occurred_at: datetime | None = None):
        """An event as its producer would publish it; each one a millisecond after the last."""
        self.clock += timedelta(milliseconds=1)
        return new_envelope(event_type=event_type, version=1, producer=PRODUCERS[event_type.split(".")[0]],
                            trust_id=trust_id, payload={**self.registry.latest(event_type).example, **payload},
                            occurred_at=occurred_at or self.clock)

    def deliver(self, envelopes) -> list[str]:
        done = self.inbox.process([Delivery(body=e.to_json(), message_id=e.event_id) for e in envelopes])
        return [d.outcome.value for d in done]

    def feed(self, trust_id: str, events: list[tuple[str, dict]]) -> None:
        outcomes = self.deliver([self.envelope(trust_id, t, p) for t, p in events])
        assert set(outcomes) == {"handled"}, outcomes

    def token(self, person_id: str, trust_id: str, grants: list[dict]) -> dict:
        return {"Authorization": "Bearer " + self.minter.token(person_id, trust_id, grants)}

    def cells(self, trust_id: str) -> dict[str, set]:
        """One trust's cells of every rollup, comparable across runs and databases."""
        with self.runtime.engine.connect() as conn:
            return {r.name: {tuple(round(float(v), 6) if isinstance(v, float) or hasattr(v, "as_tuple") else v
                                   for v in row)
                             for row in conn.execute(select(r.cells).where(r.cells.c.trust_id == trust_id))}
                    for r in ALL}


class Trust:
    """A trust of two primaries (Ash, Birch) and a secondary (Cedar) with six teachers each, a
    headteacher per school, a CPD lead at Ash, a trust leader and a trust admin; a framework of
    three principles."""

    def __init__(self, service: Reporting, slug: str = "oak", staff_per_school: int = 6):
        self.service, self.slug = service, slug
        self.trust_id = str(uuid.uuid4())
        self.schools = {name: str(uuid.uuid4()) for name in ("Ash", "Birch", "Cedar")}
        self.staff: dict[str, list[str]] = {name: [] for name in self.schools}
        self.grants: dict[str, list[dict]] = {}
        events = []
        for name, school_id in self.schools.items():
            events.append(("identity.school.added", {"school_id": school_id, "name": f"{name} School",
                                                     "phase": "secondary" if name == "Cedar" else "primary"}))

        def person(name, school=None, role=None, scope=None):
            person_id = str(uuid.uuid4())
            events.append(("identity.person.registered", {"person_id": person_id, "given_name": name,
                                                          "email": f"{person_id}@{slug}.example.org"}))
            if school:
                events.append(("identity.employment.started", {
                    "employment_id": str(uuid.uuid4()), "person_id": person_id, "school_id": self.schools[school],
                    "starts_on": START, "ends_on": None}))
            self.grants[person_id] = []
            if role:
                scope_type, scope_id = ("trust", self.trust_id) if scope is None else ("school", self.schools[scope])
                events.append(("identity.role.granted", {"grant_id": str(uuid.uuid4()), "person_id": person_id,
                                                         "role": role, "scope_type": scope_type,
                                                         "scope_id": scope_id, "valid_from": START}))
                self.grants[person_id].append({"role": role, "scope": scope_type, "id": scope_id})
            return person_id

        for school in self.schools:
            self.staff[school] = [person(f"{school}{i}", school) for i in range(staff_per_school)]
        self.head = {school: person(f"Head{school}", school, "headteacher", school) for school in self.schools}
        self.cpd_lead = person("Lead", "Ash", "cpd_lead", "Ash")
        self.teacher = self.staff["Ash"][0]
        self.leader = person("Lena", role="trust_leader")
        self.admin = person("Ada", role="trust_admin")
        self.principles = {code: str(uuid.uuid4()) for code in ("P1", "P2", "P3")}
        events.append(("observation.framework.published", {
            "framework_id": str(uuid.uuid4()), "framework_version_id": str(uuid.uuid4()), "key": "tlp",
            "name": "Teaching and learning principles", "version": 1,
            "items": [{"item_id": pid, "code": code, "title": f"Principle {code}"}
                      for code, pid in self.principles.items()]}))
        service.feed(self.trust_id, events)

    def headers(self, person_id: str) -> dict:
        return self.service.token(person_id, self.trust_id, self.grants[person_id])

    def record(self, observee: str, school: str, ratings: dict[str, float], *, status="shared", privacy="reportable",
               record_id: str | None = None, observed_on: str = ON, event="observation.record.shared") -> tuple:
        """An observation record event: ``ratings`` is principle code -> normalised rating."""
        return (event, {
            "record_id": record_id or str(uuid.uuid4()), "school_id": self.schools[school], "observee_id": observee,
            "observer_id": self.head[school], "observed_on": observed_on, "privacy": privacy, "status": status,
            "open_action_steps": 1,
            "ratings": [{"item_id": f"item-{code}", "principle_id": self.principles[code], "value": value * 4,
                         "normalised": value} for code, value in ratings.items()]})

    def activity(self, person: str, school: str | None, *, hours="6.00", cost="100.00", activity_type="course",
                 activity_id: str | None = None, starts_on: str = ON, event="portfolio.cpd.recorded") -> tuple:
        return (event, {"activity_id": activity_id or str(uuid.uuid4()), "person_id": person,
                        "school_id": self.schools[school] if school else None, "hours": hours, "cost": cost,
                        "activity_type": activity_type, "starts_on": starts_on, "ends_on": starts_on,
                        "delivery": "external", "cover_needed": True})

    def evaluation(self, person: str, school: str, *, stage="immediate", reaction=4, learning=5) -> tuple:
        return ("portfolio.evaluation.submitted", {
            "evaluation_id": str(uuid.uuid4()), "activity_id": str(uuid.uuid4()), "person_id": person,
            "school_id": self.schools[school], "stage": stage, "reaction": reaction, "learning": learning,
            "use_in_practice": None, "pupil_outcomes": None, "submitted_on": ON})

    def report(self, name: str, person_id: str | None = None, **query):
        return self.service.client.get(f"/v1/reports/{name}", query_string={"year": YEAR, **query},
                                       headers=self.headers(person_id or self.leader))


@pytest.fixture
def reporting(sqlite_url):
    service = Reporting(sqlite_url, min_group_size=3)
    yield service
    service.runtime.dispose()


@pytest.fixture
def reporting_pg(postgres_url):
    service = Reporting(postgres_url, min_group_size=3)
    yield service
    service.runtime.dispose()


@pytest.fixture
def trust(reporting):
    return Trust(reporting)


@pytest.fixture
def make_trust(reporting):
    return lambda **options: Trust(reporting, **options)


@pytest.fixture
def pg_trust(reporting_pg):
    return Trust(reporting_pg)

"""Reporting on a given database (``ServiceHarness``: fed other services' events through its inbox
the way its consumer feeds it), and a trust of three schools to report on, written into its
directory as identity's events (``StaffDirectory``)."""
import uuid

import pytest
from sqlalchemy import select

from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
from reporting.commands.replay import rebuild_rollups, replay
from reporting.rollups import ALL
from reporting.service import SERVICE

YEAR = 2025  # the academic year 2025-26 the tests report on
ON = "2025-11-03"
THRESHOLD = 3  # the smallest group a figure may describe, in these tests


class ThreeSchoolTrust:
    """A trust of two primaries (Ash, Birch) and a secondary (Cedar) with six teachers each, a
    headteacher per school, a CPD lead at Ash, a trust leader and a trust admin; a framework of
    three principles. ``record``, ``activity``, ``evaluation``, ``request`` and ``decision`` make
    the events the other services would publish about them; ``report`` asks for a dashboard,
    ``cells`` reads the rollups (``rebuilt_and_replayed``: as the operator's commands remake them)."""

    def __init__(self, service: ServiceHarness, slug: str = "oak", staff_per_school: int = 6):
        self.service, self.slug = service, slug
        self.directory = directory = StaffDirectory(service, slug)
        self.trust_id = directory.trust_id
        self.schools = {name: directory.school(f"{name} School", "secondary" if name == "Cedar" else "primary")
                        for name in ("Ash", "Birch", "Cedar")}
        self.staff = {school: [directory.person(f"{school}{i}", school_id) for i in range(staff_per_school)]
                      for school, school_id in self.schools.items()}
        self.head = {school: directory.person(f"Head{school}", school_id, role="headteacher")
                     for school, school_id in self.schools.items()}
        self.cpd_lead = directory.person("Lead", self.schools["Ash"], role="cpd_lead")
        self.teacher = self.staff["Ash"][0]
        self.leader = directory.person("Lena", role="trust_leader")
        self.admin = directory.person("Ada", role="trust_admin")
        self.principles = {code: str(uuid.uuid4()) for code in ("P1", "P2", "P3")}
        directory.also("observation.framework.published", {
            "framework_id": str(uuid.uuid4()), "framework_version_id": str(uuid.uuid4()), "key": "tlp",
            "name": "Teaching and learning principles", "version": 1,
            "items": [{"item_id": pid, "code": code, "title": f"Principle {code}"}
                      for code, pid in self.principles.items()]})
        directory.publish()

    def headers(self, person_id: str) -> dict:
        return self.directory.headers(person_id)

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

    def request(self, person: str, school: str, *, cost="120.00", starts_on: str = ON,
                request_id: str | None = None) -> tuple:
        """A CPD request's submission; ``decision`` makes the event that decides it."""
        return ("portfolio.cpd_request.submitted", {
            "request_id": request_id or str(uuid.uuid4()), "person_id": person, "school_id": self.schools[school],
            "starts_on": starts_on, "cost": cost, "cover_needed": True})

    def decision(self, submitted: tuple, decision: str = "approved") -> tuple:
        asked = submitted[1]
        school = next(name for name, school_id in self.schools.items() if school_id == asked["school_id"])
        return ("portfolio.cpd_request.decided", {
            "request_id": asked["request_id"], "person_id": asked["person_id"], "school_id": asked["school_id"],
            "decision": decision, "decided_by": self.head[school], "cost": asked["cost"],
            "activity_id": str(uuid.uuid4()) if decision == "approved" else None})

    def report(self, name: str, person_id: str | None = None, **query):
        return self.service.client.get(f"/v1/reports/{name}", query_string={"year": YEAR, **query},
                                       headers=self.headers(person_id or self.leader))

    def rebuilt_and_replayed(self) -> tuple[dict[str, set], dict[str, set]]:
        """This trust's cells rebuilt from its facts, then replayed from the event log."""
        runtime = self.service.runtime
        with runtime.uow_factory() as uow:
            rebuild_rollups(uow, self.trust_id)
            uow.commit()
        rebuilt = self.cells()
        with runtime.uow_factory() as uow:
            replay(uow, self.service.registry)
            uow.commit()
        return rebuilt, self.cells()

    def cells(self) -> dict[str, set]:
        """This trust's cells of every rollup, comparable across runs and databases."""
        with self.service.runtime.engine.connect() as conn:
            return {r.name: {tuple(round(float(v), 6) if isinstance(v, float) or hasattr(v, "as_tuple") else v
                                   for v in row)
                             for row in conn.execute(select(r.cells).where(r.cells.c.trust_id == self.trust_id))}
                    for r in ALL}


@pytest.fixture
def reporting(sqlite_url):
    service = ServiceHarness(SERVICE, sqlite_url, min_group_size=THRESHOLD)
    yield service
    service.dispose()


@pytest.fixture
def reporting_pg(postgres_url):
    service = ServiceHarness(SERVICE, postgres_url, min_group_size=THRESHOLD)
    yield service
    service.dispose()


@pytest.fixture
def trust(reporting):
    return ThreeSchoolTrust(reporting)


@pytest.fixture
def make_trust(reporting):
    return lambda **options: ThreeSchoolTrust(reporting, **options)


@pytest.fixture
def pg_trust(reporting_pg):
    return ThreeSchoolTrust(reporting_pg)

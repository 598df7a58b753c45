"""Observation on a given database (``canopy_kit.testing.harness``), with a small trust put into
its directory projection the way production fills it: identity-shaped events through its inbox."""
import pytest

from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
from observation.service import SERVICE


class ObservationCast(StaffDirectory):
    """Two schools (Ash, Birch); at Ash a headteacher, a coach, a line manager and three teachers;
    at Birch a headteacher and a teacher; Mo moved from Ash to Birch; a trust leader and an admin."""

    def __init__(self, harness: ServiceHarness, slug: str = "oak"):
        super().__init__(harness, slug)
        self.school_a, self.school_b = self.school("Ash Primary"), self.school("Birch Academy")
        self.head_a = self.person("Hana", self.school_a, role="headteacher")
        self.head_b = self.person("Hugo", self.school_b, role="headteacher")
        self.coach = self.person("Cleo", self.school_a, role="coach")
        self.manager = self.person("Maya", self.school_a)
        self.teacher = self.person("Tom", self.school_a)
        self.colleague = self.person("Cara", self.school_a)
        self.teacher_b = self.person("Bea", self.school_b)
        self.mover = self.person("Mo", self.school_a, ends_on="2025-08-31")
        self.employ(self.mover, self.school_b, starts_on="2025-09-01")
        self.leader = self.person("Lena", role="trust_leader")
        self.admin = self.person("Ada", role="trust_admin")
        self.manage(self.manager, self.teacher, self.school_a)
        self.publish()


@pytest.fixture
def observation(sqlite_url):
    harness = ServiceHarness(SERVICE, sqlite_url, min_group_size=3)
    yield harness
    harness.dispose()


@pytest.fixture
def observation_pg(postgres_url):
    harness = ServiceHarness(SERVICE, postgres_url)
    yield harness
    harness.dispose()


@pytest.fixture
def trust(observation):
    return ObservationCast(observation)


def standards(trust: ObservationCast) -> dict[str, str]:
    """Teachers' Standards code -> principle id, from the trust's seeded national framework."""
    client = trust.harness.client
    listed = client.get("/v1/frameworks", headers=trust.headers(trust.admin)).json["items"]
    framework = next(f for f in listed if f["key"] == "teachers-standards-2012")
    return {item["code"]: item["id"] for item in framework["items"]}


def drop_in_sections(principles: dict[str, str], *, label: str = "Questioning checks understanding") -> list:
    scale = [{"value": 1, "label": "Not yet"}, {"value": 2, "label": "Partly"}, {"value": 3, "label": "Securely"}]
    return [{"title": "Teaching", "items": [
        {"id": "questioning", "kind": "rating", "label": label, "required": True, "scale": scale,
         "principle_id": principles["6"]},
        {"id": "behaviour", "kind": "rating", "label": "Calm routines", "scale": scale, "principle_id": principles["7"]},
        {"id": "seen", "kind": "checklist", "label": "Seen", "options": [
            {"value": "retrieval", "label": "Retrieval"}, {"value": "modelling", "label": "Modelling"}]},
        {"id": "notes", "kind": "text", "label": "Notes", "help": "What went well"},
    ]}]


def publish_form(trust: ObservationCast, sections: list | None = None) -> dict:
    """A trust form, published; returns {"template_id", "version_id"}."""
    client, admin = trust.harness.client, trust.headers(trust.admin)
    created = client.post("/v1/templates", headers=admin, json={
        "name": "Drop-in", "sections": sections or drop_in_sections(standards(trust))})
    assert created.status_code == 201, created.json
    template_id = created.json["id"]
    assert client.post(f"/v1/templates/{template_id}/publish", headers=admin).status_code == 200
    versions = client.get(f"/v1/templates/{template_id}", headers=admin).json["versions"]
    return {"template_id": template_id, "version_id": versions[-1]["id"]}


def drop_in(trust: ObservationCast, form: dict, *, observee=None, privacy="reportable", rating=3, share=True, **extra):
    return {"kind": "drop_in", "observee_id": observee or trust.teacher, "observed_on": "2026-11-02",
            "template_version_id": form["version_id"], "privacy": privacy, "share": share,
            "responses": {"questioning": rating, "seen": ["retrieval"], "notes": "Good hinge questions"},
            "strengths": "Pupils explained their reasoning", "subject": "Maths", "year_group": "Year 5",
            "action_steps": [{"text": "Cold-call more widely", "due_on": "2026-11-20"}], **extra}


@pytest.fixture
def principles(trust):
    return standards(trust)


@pytest.fixture
def form(trust):
    return publish_form(trust)


@pytest.fixture
def make_drop_in(trust, form):
    """A valid drop-in body on the published form; keyword arguments change it."""
    return lambda **changes: drop_in(trust, form, **changes)


@pytest.fixture
def sections():
    return drop_in_sections


@pytest.fixture
def other_trust(observation):
    return ObservationCast(observation, slug="elm")


@pytest.fixture
def pg_form(observation_pg):
    trust = ObservationCast(observation_pg)
    return {**publish_form(trust), "trust": trust}


@pytest.fixture
def pg_drop_in(pg_form):
    return lambda **changes: drop_in(pg_form["trust"], pg_form, **changes)

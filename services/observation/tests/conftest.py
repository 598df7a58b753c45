"""An observation service on a given database, with a small trust put into its directory projection
the way production fills it: identity-shaped events through the kit's inbox."""
import uuid

import pytest

from canopy_contracts import default_registry, new_envelope
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.testing.directory import TokenMinter
from canopy_kit.web.app import create_service_app
from observation.service import SERVICE

START = "2024-09-01"


class Observation:
    def __init__(self, database_url: str, **settings_changes):
        self.minter = TokenMinter()
        settings = make_settings("observation", database_url=database_url, **settings_changes)
        self.runtime = Runtime(self.minter.spec_with_keys(SERVICE), settings)
        prepare_database(self.runtime)
        self.client = create_service_app(self.runtime, testing=True).test_client()
        self.inbox = InboxProcessor("observation", self.runtime.uow_factory, self.runtime.subscriptions,
                                    self.runtime.registry)

    def feed(self, trust_id: str, events: list[tuple[str, dict]]) -> None:
        """Identity's events, as the consumer would receive them."""
        registry = default_registry()
        envelopes = [new_envelope(event_type=t, version=1, producer="identity", trust_id=trust_id,
                                  payload={**registry.latest(t).example, **payload}) for t, payload in events]
        done = self.inbox.process([Delivery(body=e.to_json(), message_id=e.event_id) for e in envelopes])
        assert {d.outcome.value for d in done} == {"handled"}, [d.error for d in done]

    def token(self, person_id: str, trust_id: str, grants: list[dict]) -> dict:
        return {"Authorization": "Bearer " + self.minter.token(person_id, trust_id, grants)}


class SmallTrust:
    """Two schools (Ash, Birch); at Ash a headteacher, a coach, a line manager and three teachers;
    at Birch a headteacher and a teacher; Mo moved from Ash to Birch; a trust leader and an admin."""

    def __init__(self, service: Observation, slug: str = "oak"):
        self.service, self.slug = service, slug
        self.trust_id = str(uuid.uuid4())
        self.school_a, self.school_b = str(uuid.uuid4()), str(uuid.uuid4())
        self.grants: dict[str, list[dict]] = {}
        events = [("identity.trust.created", {"trust_id": self.trust_id, "name": f"{slug} trust", "slug": slug}),
                  ("identity.school.added", {"school_id": self.school_a, "name": "Ash Primary"}),
                  ("identity.school.added", {"school_id": self.school_b, "name": "Birch Academy"})]

        def person(name, school=None, role=None, scope=None, starts=START, ends=None):
            person_id = str(uuid.uuid4())
            events.append(("identity.person.registered", {"person_id": person_id, "given_name": name,
                                                          "email": f"{name.lower()}@{slug}.example.org"}))
            if school:
                events.append(("identity.employment.started", {
                    "employment_id": str(uuid.uuid4()), "person_id": person_id, "school_id": school,
                    "starts_on": starts, "ends_on": ends}))
            self.grants[person_id] = []
            if role:
                scope_type, scope_id = ("trust", self.trust_id) if scope is None else ("school", scope)
                events.append(("identity.role.granted", {"grant_id": str(uuid.uuid4()), "person_id": person_id,
                                                         "role": role, "scope_type": scope_type,
                                                         "scope_id": scope_id, "valid_from": START}))
                self.grants[person_id].append({"role": role, "scope": scope_type, "id": scope_id})
            return person_id

        self.head_a = person("Hana", self.school_a, "headteacher", self.school_a)
        self.head_b = person("Hugo", self.school_b, "headteacher", self.school_b)
        self.coach = person("Cleo", self.school_a, "coach", self.school_a)
        self.manager = person("Maya", self.school_a)
        self.teacher = person("Tom", self.school_a)
        self.colleague = person("Cara", self.school_a)
        self.teacher_b = person("Bea", self.school_b)
        self.mover = person("Mo", self.school_a, ends="2025-08-31")
        events.append(("identity.employment.started", {"employment_id": str(uuid.uuid4()), "person_id": self.mover,
                                                       "school_id": self.school_b, "starts_on": "2025-09-01",
                                                       "ends_on": None}))
        self.leader = person("Lena", role="trust_leader")
        self.admin = person("Ada", role="trust_admin")
        events.append(("identity.line_manager.assigned", {"assignment_id": str(uuid.uuid4()), "person_id": self.teacher,
                                                          "manager_id": self.manager, "school_id": self.school_a,
                                                          "starts_on": START}))
        service.feed(self.trust_id, events)

    def headers(self, person_id: str) -> dict:
        return self.service.token(person_id, self.trust_id, self.grants[person_id])


@pytest.fixture
def observation(sqlite_url):
    service = Observation(sqlite_url, min_group_size=3)
    yield service
    service.runtime.dispose()


@pytest.fixture
def observation_pg(postgres_url):
    service = Observation(postgres_url)
    yield service
    service.runtime.dispose()


@pytest.fixture
def trust(observation):
    return SmallTrust(observation)


def standards(trust: SmallTrust) -> dict[str, str]:
    """Teachers' Standards code -> principle id, from the trust's seeded national framework."""
    client = trust.service.client
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


def publish_form(trust: SmallTrust, sections: list | None = None) -> dict:
    """A trust form, published; returns {"template_id", "version_id"}."""
    client, admin = trust.service.client, trust.headers(trust.admin)
    created = client.post("/v1/templates", headers=admin, json={
        "name": "Drop-in", "sections": sections or drop_in_sections(standards(trust))})
    assert created.status_code == 201, created.json
    template_id = created.json["id"]
    assert client.post(f"/v1/templates/{template_id}/publish", headers=admin).status_code == 200
    versions = client.get(f"/v1/templates/{template_id}", headers=admin).json["versions"]
    return {"template_id": template_id, "version_id": versions[-1]["id"]}


def drop_in(trust: SmallTrust, form: dict, *, observee=None, privacy="reportable", rating=3, share=True, **extra):
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
    return SmallTrust(observation, slug="elm")


@pytest.fixture
def pg_form(observation_pg):
    trust = SmallTrust(observation_pg)
    return {**publish_form(trust), "trust": trust}


@pytest.fixture
def pg_drop_in(pg_form):
    return lambda **changes: drop_in(pg_form["trust"], pg_form, **changes)

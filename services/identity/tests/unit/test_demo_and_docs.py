"""Demo data loads once, signs in, and the API is fully described (its fuzz tier: test_fuzz.py)."""

from sqlalchemy import func, select

from canopy_kit.cli import main as canopy
from canopy_kit.testing import outbox_events
from identity.tables import employments, line_managers, people, role_grants, schools
from identity.demo import DEMO_PASSWORD, load_demo


def _count(runtime, table):
    with runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_demo_trust_loads_once_and_its_logins_work(identity):
    first = load_demo(identity.runtime)
    assert first["created"] is True and first["schools"] == 11 and 650 <= first["people"] <= 750
    assert (first["transfers"], first["part_timers"], first["leavers"]) == (3, 1, 3)
    phases = {}
    with identity.runtime.engine.connect() as conn:
        for phase, n in conn.execute(select(schools.c.phase, func.count()).group_by(schools.c.phase)):
            phases[phase] = n
    assert phases == {"primary": 5, "secondary": 6}
    counts = {t.name: _count(identity.runtime, t) for t in (people, employments, role_grants, line_managers)}
    events = len(outbox_events(identity.runtime))
    second = load_demo(identity.runtime)
    assert second["created"] is False
    assert {t.name: _count(identity.runtime, t) for t in (people, employments, role_grants, line_managers)} == counts
    assert len(outbox_events(identity.runtime)) == events  # nothing written twice
    assert counts["line_managers"] > 600
    tokens = {}
    for login in first["logins"]:
        response = identity.login(email=login["email"], password=DEMO_PASSWORD)
        assert response.status_code == 200, login
        tokens[login["who"]] = response.json["access_token"]
    assert {"trust admin", "headteacher", "teacher", "line manager"} <= set(tokens)
    # The line manager's appraisees today include the teacher login, so both ends of line
    # management can be tried: opening an appraisee's records, and seeing who opened them.
    teacher = identity.client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['teacher']}"}).json
    appraisees = identity.client.get("/v1/me/appraisees",
                                     headers={"Authorization": f"Bearer {tokens['line manager']}"}).json
    assert teacher["person_id"] in {person["id"] for person in appraisees["items"]}


def test_openapi_documents_every_endpoint_with_schemas_and_errors(identity):
    spec = identity.client.get("/openapi.json").json
    expected = {"/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout", "/.well-known/jwks.json", "/v1/me",
                "/v1/schools"}
    assert expected <= set(spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, f"{method} {path} documents no success response"
            if success[0] not in ("202", "204"):
                assert "content" in responses[success[0]], f"{method} {path} has no response schema"
            assert "default" in responses, f"{method} {path} documents no error body"
            if "requestBody" in operation:
                assert "422" in responses
    assert spec["paths"]["/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert "401" in spec["paths"]["/v1/me"]["get"]["responses"]


def test_cli_creates_a_trust_with_its_first_admin(tmp_path, monkeypatch, capsys):
    database = f"sqlite:///{tmp_path / 'identity.db'}"
    monkeypatch.setenv("IDENTITY_DATABASE_URL", database)
    monkeypatch.setenv("CANOPY_ADMIN_PASSWORD", "a long enough password")
    monkeypatch.setenv("LOG_JSON", "0")
    assert canopy(["identity", "migrate"]) == 0
    args = ["identity", "create-trust", "--name", "Willow Trust", "--slug", "willow", "--admin-email",
            "head@willow.example.org", "--admin-given-name", "Wil", "--admin-family-name", "Low"]
    assert canopy(args) == 0
    assert "trust willow created" in capsys.readouterr().out
    assert canopy(args) == 2  # the same slug again is refused, nothing written
    assert "already exists" in capsys.readouterr().err
    assert canopy(["identity", "dead-letters", "list"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    assert canopy(["identity", "dead-letters", "show", "no-such-event"]) == 1


def test_every_record_the_demo_writes_has_its_event(identity):
    """The demo writes through identity's commands, so every other service's directory (and every
    dashboard over it) holds all of the demo trust: each row has the event that announces it, and
    each ended employment, grant and line management the event that ends it."""
    load_demo(identity.runtime)
    announced: dict[str, set] = {}
    for event in outbox_events(identity.runtime):
        for key in ("school_id", "person_id", "employment_id", "grant_id", "assignment_id"):
            if key in event.payload:
                announced.setdefault(f"{event.event_type}:{key}", set()).add(str(event.payload[key]))
    with identity.runtime.engine.connect() as conn:
        def ids(table, *where):
            return set(conn.execute(select(table.c.id).where(*where)).scalars())

        assert ids(schools) == announced["identity.school.added:school_id"]
        assert ids(people) == announced["identity.person.registered:person_id"]
        assert ids(employments) == announced["identity.employment.started:employment_id"]
        assert ids(role_grants) == announced["identity.role.granted:grant_id"]
        assert ids(line_managers) == announced["identity.line_manager.assigned:assignment_id"]
        assert ids(employments, employments.c.ends_on.is_not(None)) == \
            announced["identity.employment.ended:employment_id"]
        assert ids(role_grants, role_grants.c.valid_to.is_not(None)) == announced["identity.role.revoked:grant_id"]
        assert ids(line_managers, line_managers.c.ends_on.is_not(None)) == \
            announced["identity.line_manager.ended:assignment_id"]
        assert ids(people, people.c.status == "disabled") == announced["identity.account.disabled:person_id"]

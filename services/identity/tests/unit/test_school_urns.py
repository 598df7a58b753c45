"""Case 6: a school's URN names one school in its trust, because the staff import finds schools by
it. The API refuses a second, the database holds it (revision 0003), and a trust that still has
two (not yet migrated) gets a refused import row and a migration that stops, naming them."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from canopy_kit.db.migrations import migrate
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings
from identity.tables import employments, schools, trusts
from identity.importer import run_import
from identity.service import SERVICE

CSV = (b"email,given_name,family_name,school_urn,job_title,staff_category,starts_on\n"
       b"new@oak.example.org,New,Person,100001,Teacher,teaching,2025-09-01\n")


def _send(trust, method, path, body):
    return trust.service.client.open(path, method=method, json=body, headers=trust.headers(trust.admin))


def _refused(response):
    return response.status_code == 409 and response.json["code"] == "conflict" and "urn" in response.json["errors"]


def test_a_second_school_with_a_taken_urn_is_refused_naming_urn(identity, trust):
    assert _refused(_send(trust, "POST", "/v1/schools", {"name": "Cedar", "phase": "primary", "urn": "oak-a"}))
    assert _refused(_send(trust, "POST", "/v1/schools", {"name": "Cedar", "phase": "primary", "urn": " oak-a "}))
    assert _refused(_send(trust, "PATCH", f"/v1/schools/{trust.school_b}", {"urn": "oak-a"}))
    assert _send(trust, "PATCH", f"/v1/schools/{trust.school_b}", {"urn": "oak-b"}).status_code == 200  # its own
    moved = _send(trust, "PATCH", f"/v1/schools/{trust.school_a}", {"urn": "oak-c"})
    assert moved.status_code == 200 and moved.json["urn"] == "oak-c"
    assert _send(trust, "POST", "/v1/schools", {"name": "Cedar", "phase": "primary", "urn": "oak-a"}).status_code == 201
    # Schools without a URN are not compared; blank is none; another trust has its own URNs.
    for name, urn in (("Elder", None), ("Fir", None), ("Gorse", "  ")):
        assert _send(trust, "POST", "/v1/schools", {"name": name, "phase": "primary", "urn": urn}).status_code == 201
    other = type(trust)(identity, slug="elm")
    assert _send(other, "POST", "/v1/schools", {"name": "Cedar", "phase": "primary", "urn": "oak-a"}).status_code == 201
    listed = _send(trust, "GET", "/v1/schools?page_size=100", None).json["items"]
    assert sorted((s["name"], s["urn"]) for s in listed) == [
        ("Ash Primary", "oak-c"), ("Birch Academy", "oak-b"), ("Cedar", "oak-a"), ("Elder", None), ("Fir", None),
        ("Gorse", None)]
    # The database holds the rule when the API's check is not in the way (two requests racing).
    with identity.runtime.engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(insert(schools).values(id="x" * 36, trust_id=trust.trust_id, name="Twin", phase="primary",
                                            urn="oak-b", status="open", created_at=datetime.now(timezone.utc)))


def _legacy(database_url: str) -> Runtime:
    """A database at revision 0002 with one trust whose two schools share URN 100001."""
    runtime = Runtime(SERVICE, make_settings("identity", database_url=database_url))
    migrate(runtime.engine, SERVICE.migrations_dir, revision="0002")
    now = datetime.now(timezone.utc)
    with runtime.engine.begin() as conn:
        conn.execute(insert(trusts).values(id="t" * 36, name="Oak Trust", slug="oak", created_at=now))
        conn.execute(insert(schools), [
            {"id": f"{n}" * 36, "trust_id": "t" * 36, "name": name, "phase": "primary", "urn": urn, "status": "open",
             "created_at": now}
            for n, name, urn in (("a", "Ash Primary", "100001"), ("b", "Birch Primary", "100001"),
                                 ("c", "Cedar Primary", " "), ("d", "Damson Primary", " "))])
    return runtime


def _version(runtime: Runtime) -> str:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


@pytest.mark.parametrize("database", ["sqlite_url", pytest.param("postgres_url", marks=pytest.mark.integration)])
def test_a_trust_with_a_shared_urn_has_the_import_row_refused_and_the_migration_stopped(request, database):
    runtime = _legacy(request.getfixturevalue(database))
    try:
        with runtime.uow_factory() as uow:
            report = run_import(uow, CSV, trust_id="t" * 36)
        assert not report.valid and not report.applied
        [problem] = report.problems
        assert (problem.line, problem.field) == (2, "school_urn")
        assert "Ash Primary, Birch Primary" in problem.reason
        with runtime.engine.connect() as conn:
            assert conn.execute(select(employments.c.id)).first() is None

        with pytest.raises(RuntimeError, match=r"trust 'oak', URN '100001': Ash Primary, Birch Primary"):
            migrate(runtime.engine, SERVICE.migrations_dir)
        assert _version(runtime) == "0002"
        with runtime.engine.connect() as conn:  # nothing was changed, blank URNs included
            assert conn.execute(select(schools.c.urn).where(schools.c.id == "c" * 36)).scalar_one() == " "

        with runtime.engine.begin() as conn:  # the trust says which school has the URN
            conn.execute(schools.update().where(schools.c.id == "b" * 36).values(urn="100002"))
        migrate(runtime.engine, SERVICE.migrations_dir)
        assert _version(runtime) >= "0003"  # 0003 applied this time (and any later revision after it)
        indexes = {i["name"]: i for i in inspect(runtime.engine).get_indexes("schools")}
        assert indexes["uq_schools_trust_urn"]["unique"]
        with runtime.engine.connect() as conn:
            blank = conn.execute(select(schools.c.urn).where(schools.c.id.in_(["c" * 36, "d" * 36]))).scalars().all()
        assert blank == [None, None]
        with runtime.uow_factory() as uow:
            assert run_import(uow, CSV, trust_id="t" * 36, dry_run=True).valid
    finally:
        runtime.dispose()

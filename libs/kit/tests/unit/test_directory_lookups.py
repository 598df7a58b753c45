"""The directory projection answers a permission check's questions about a person in one query."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import create_engine, event, insert
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import Period
from canopy_kit.db.tables import dir_employments, dir_people, kit_metadata
from canopy_kit.projections.directory import ProjectedDirectory

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    kit_metadata.create_all(engine)
    with engine.begin() as conn:
        for person in ("p-1", "p-2"):
            conn.execute(insert(dir_people).values(person_id=person, trust_id="t-1", given_name="A", family_name="B",
                                                   email=f"{person}@example.org", status="active", updated_at=NOW))
        conn.execute(insert(dir_employments), [
            {"employment_id": f"e-{n}", "trust_id": "t-1", "person_id": "p-1", "school_id": school,
             "job_title": "Teacher", "staff_category": "teaching", "fte": 1, "starts_on": starts,
             "ends_on": ends, "updated_at": NOW}
            for n, (school, starts, ends) in enumerate([("s-b", date(2024, 9, 1), None),
                                                         ("s-a", date(2020, 9, 1), date(2024, 8, 31))])])
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(engine) as session:
        session.statements = statements
        yield session


def test_trust_and_employments_come_in_one_query(session):
    directory = ProjectedDirectory(session)
    assert directory.trust_of("p-1") == "t-1"
    assert directory.employment_periods("p-1") == [Period("s-a", date(2020, 9, 1), date(2024, 8, 31)),
                                                   Period("s-b", date(2024, 9, 1), None)]
    assert len(session.statements) == 1


def test_a_person_without_employments_or_unknown(session):
    directory = ProjectedDirectory(session)
    assert directory.trust_of("p-2") == "t-1" and directory.employment_periods("p-2") == []
    assert directory.trust_of("nobody") is None and directory.employment_periods("nobody") == []
    assert len(session.statements) == 3  # an unknown person's employments are looked up on their own


def test_employments_without_asking_for_the_trust(session):
    periods = ProjectedDirectory(session).employment_periods("p-1")
    assert [p.school_id for p in periods] == ["s-a", "s-b"]


def test_one_directory_per_session_forgotten_when_the_projection_changes(session):
    from canopy_kit.projections.directory import upsert_if_newer

    shared = ProjectedDirectory.of(session)
    assert ProjectedDirectory.of(session) is shared
    assert shared.trust_of("p-2") == "t-1" and shared.works_at("p-2", date(2025, 1, 6)) == set()
    upsert_if_newer(session, dir_employments, "employment_id", {
        "employment_id": "e-9", "trust_id": "t-1", "person_id": "p-2", "school_id": "s-c", "job_title": "Teacher",
        "staff_category": "teaching", "fte": 1, "starts_on": date(2025, 1, 6), "ends_on": None, "updated_at": NOW})
    fresh = ProjectedDirectory.of(session)
    assert fresh is not shared and fresh.works_at("p-2", date(2025, 1, 6)) == {"s-c"}

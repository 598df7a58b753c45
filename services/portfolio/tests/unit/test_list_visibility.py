"""Every list of portfolio's API shows exactly what its caller may open, for every kind of caller
(canopy_kit.testing.visibility): the lists come from the OpenAPI document, the rules from the code."""
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update

from canopy_kit.auth.permissions import Permissions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.service import Runtime
from canopy_kit.testing.visibility import assert_agree, check_service, projected
from portfolio.access import LISTS, PortfolioAccess
from portfolio.commands import activities as recorded, programme, requests
from portfolio.service import SERVICE
from portfolio.tables import activities, bookings, course_sessions, courses, cpd_requests, evaluations, evidence

DOCS = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"

# whose activity, starting when: Mo's at Ash before his move and at Birch after, Pat's in both schools
ACTIVITIES = [("tom", date(2026, 10, 5)), ("mo", date(2025, 3, 3)), ("mo", date(2026, 10, 5)),
              ("pat", date(2026, 10, 5)), ("bea", date(2026, 10, 5)), ("nico", date(2026, 11, 2)),
              ("lena", date(2026, 10, 5)), ("eve", date(2026, 10, 5))]


def _fields(on: date, **changes) -> dict:
    return {"title": "Reading fluency", "activity_type": "course", "delivery": "external", "provider": "Hub",
            "starts_on": on, "ends_on": on, "hours": Decimal("6"), "cost": Decimal("120.50"),
            "cover_needed": True, "linked_standards": ["TS3"], **changes}


def _seed_portfolios(runtime: Runtime, world) -> None:
    with runtime.uow_factory() as uow:
        for key, on in ACTIVITIES:
            trust = world[world.trust_of[key]]
            [activity_id] = recorded.record_activities(uow, trust_id=trust, person_ids=[world[key]],
                                                       fields=_fields(on), source="self", actor_id=world[key])
            evidence_id = recorded.add_evidence(uow, trust_id=trust, person_id=world[key], values={
                "title": "Notes", "kind": "link", "url": "https://example.org/notes", "activity_id": activity_id})
            uow.session.execute(update(evidence).where(evidence.c.id == evidence_id).values(added_on=on))
        for key, school in (("tom", "ash"), ("pat", "cedar"), ("pat", "ash"), ("mo", "birch"), ("nico", "cedar"),
                            ("eve", "willow")):
            requests.submit_request(uow, trust_id=world[world.trust_of[key]], person_id=world[key],
                                    fields={**_fields(date(2027, 1, 11)), "school_id": world[school],
                                            "reason": "For my objectives"})
        for trust in ("oak", "elm"):
            programme.publish_course(uow, trust_id=world[trust], actor_id=world["tia"], fields={
                "title": f"{trust} leadership", "description": "", "activity_type": "trust_programme",
                "hours": Decimal("3")}, sessions=[{"held_on": date(2027, 2, 1), "location": "Hub", "places": 10}])
        for key, trust in (("tom", "oak"), ("pat", "oak"), ("eve", "elm")):
            [session_id] = uow.session.execute(select(course_sessions.c.id).where(
                course_sessions.c.trust_id == world[trust])).scalars()
            programme.book(uow, trust_id=world[trust], person_id=world[key], session_id=session_id)
        uow.commit()


def test_every_list_shows_exactly_what_its_caller_may_open(sqlite_url, tmp_path):
    report = check_service(*projected(SERVICE, sqlite_url, data_dir=tmp_path), fill=_seed_portfolios, rules=LISTS,
                           access=lambda principal, session: PortfolioAccess(
                               Permissions(principal, ProjectedDirectory(session))),
                           tables={"Activity": activities, "Evidence": evidence, "DueEvaluation": evaluations,
                                   "Request": cpd_requests, "Course": courses, "Booking": bookings},
                           documented=DOCS.read_text())
    assert_agree(report, "/v1/people/{person_id}/activities", "/v1/people/{person_id}/evidence",
                 "/v1/me/evaluations/due", "/v1/cpd-requests", "/v1/programme/courses", "/v1/programme/bookings",
                 "/v1/programme/sessions/{session_id}/bookings", "/v1/me/access-log")

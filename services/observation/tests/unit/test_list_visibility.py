"""Every list of observation's API shows exactly what its caller may open, for every kind of caller
(canopy_kit.testing.visibility): the lists come from the OpenAPI document, the rules from the code."""
from datetime import date
from pathlib import Path

from canopy_kit.auth.permissions import Permissions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.service import Runtime
from canopy_kit.testing.visibility import assert_agree, check_service, projected
from observation import commands, queries
from observation.access import LISTS, Access
from observation.service import SERVICE
from observation.tables import coaching_pairs, frameworks, records, templates

DOCS = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"
NOTES = {"title": "Notes", "items": [{"id": "notes", "kind": "text", "label": "What went well"}]}

# (observer, observee, school, observed on, privacy, shared)
RECORDS = [
    ("cleo", "tom", "ash", date(2026, 10, 5), "reportable", True),
    ("cleo", "tom", "ash", date(2026, 10, 6), "developmental", True),  # Tom shares it with Nico
    ("hugo", "bea", "birch", date(2026, 10, 5), "reportable", True),  # case 1: Maya must not list it
    ("hugo", "bea", "birch", date(2026, 10, 7), "reportable", False),  # a draft
    ("gia", "bea", "birch", date(2026, 10, 8), "developmental", True),
    ("hana", "mo", "ash", date(2025, 3, 3), "reportable", True),  # before his transfer
    ("hugo", "mo", "birch", date(2026, 10, 5), "reportable", True),
    ("hana", "pat", "ash", date(2026, 10, 5), "reportable", True),
    ("sol", "pat", "cedar", date(2026, 10, 5), "reportable", True),
    ("sol", "nico", "cedar", date(2026, 10, 5), "reportable", True),
    ("lena", "maya", "ash", date(2026, 10, 9), "reportable", True),
    ("eli", "eve", "willow", date(2026, 10, 5), "reportable", True),  # the other trust
]


def _seed_records(runtime: Runtime, world) -> None:
    with runtime.uow_factory() as uow:
        for trust in ("oak", "elm"):
            commands.ensure_national_frameworks(uow, world[trust])
        forms = {}
        for trust, owner in (("oak", None), ("oak", "ash"), ("elm", None)):
            template_id = commands.create_template(
                uow, trust_id=world[trust], name=f"Drop-in {owner or 'trust'}", actor_id=world["lena"],
                owner_school_id=owner and world[owner], shared_with=None, definition={"sections": [NOTES]})
            commands.publish_template(uow, trust_id=world[trust], template_id=template_id, actor_id=world["lena"])
            forms.setdefault(trust, queries.latest_template_version(uow.session, template_id).id)
        made = {}
        for observer, observee, school, on, privacy, share in RECORDS:
            trust = world.trust_of[observee]
            made[observee, privacy] = commands.create_record(
                uow, trust_id=world[trust], observer_id=world[observer], school_id=world[school], body={
                    "kind": "drop_in", "observee_id": world[observee], "observed_on": on, "privacy": privacy,
                    "template_version_id": forms[trust], "responses": {"notes": "Good"}, "share": share})
        commands.grant_access(uow, trust_id=world["oak"], record_id=made["tom", "developmental"],
                              actor_id=world["tom"], person_id=world["nico"])
        principle = next(iter(queries.principle_titles(uow.session, world["oak"])))
        for coach, coachee, school in (("cleo", "tom", "ash"), ("bea", "mo", "birch"), ("sol", "nico", None)):
            commands.record_pair(uow, trust_id=world["oak"], principle_id=principle, coach_id=world[coach],
                                 coachee_id=world[coachee], school_id=school and world[school],
                                 starts_on=date(2026, 9, 1), actor_id=world["lena"])
        uow.commit()


def _access(principal, session) -> Access:
    directory = ProjectedDirectory(session)
    return Access(Permissions(principal, directory), directory)


def test_every_list_shows_exactly_what_its_caller_may_open(sqlite_url):
    report = check_service(*projected(SERVICE, sqlite_url), fill=_seed_records, rules=LISTS, access=_access,
                           tables={"RecordSummary": records, "Template": templates, "Framework": frameworks,
                                   "CoachingPair": coaching_pairs}, documented=DOCS.read_text())
    assert_agree(report, "/v1/records", "/v1/templates", "/v1/frameworks", "/v1/coaching/pairs", "/v1/me/access-log")

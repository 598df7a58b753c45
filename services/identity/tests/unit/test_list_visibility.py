"""Every list of identity's API shows exactly what its caller may open, for every kind of caller
(canopy_kit.testing.visibility), with the world written to identity's own tables."""
from decimal import Decimal
from pathlib import Path

from canopy_kit.auth.permissions import Permissions
from canopy_kit.auth.principal import Principal
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings
from canopy_kit.testing.visibility import START, Caller, assert_agree, check_service
from identity import commands, tokens
from identity.tables import audit_log, people, schools
from identity.access import LISTS, IdentityDirectory
from identity.service import SERVICE

DOCS = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"


class IdentityWriter:
    """The world in identity's tables, through its commands (each trust comes with its first admin)."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def _do(self, handler, **kwargs):
        with self.runtime.uow_factory() as uow:
            result = handler(uow, **kwargs)
            uow.commit()
        return result

    def trust(self, key: str) -> str:
        self.trust_id, _admin = self._do(commands.create_trust_with_admin, name=f"{key} trust", slug=key,
                                         admin_given_name="First", admin_family_name="Admin",
                                         admin_email=f"first@{key}.example.org", admin_password="x" * 12)
        self.slug = key
        return self.trust_id

    def school(self, key: str) -> str:
        return self._do(commands.add_school, trust_id=self.trust_id, name=key.title(), phase="primary")

    def group(self, key: str, school_ids: list[str]) -> str:
        return self._do(commands.create_group, trust_id=self.trust_id, name=key.title(), school_ids=school_ids)

    def person(self, key: str) -> str:
        return self._do(commands.register_person, trust_id=self.trust_id, given_name=key.title(),
                        family_name="Test", email=f"{key}@{self.slug}.example.org")

    def employ(self, person_id, school_id, starts_on, ends_on=None, fte=1.0) -> None:
        self._do(commands.start_employment, trust_id=self.trust_id, person_id=person_id, school_id=school_id,
                 job_title="Teacher", staff_category="teaching", starts_on=starts_on, ends_on=ends_on,
                 fte=Decimal(str(fte)))

    def grant(self, person_id, role, scope_type, scope_id) -> None:
        self._do(commands.grant_role, trust_id=self.trust_id, person_id=person_id, role=role,
                 scope_type=scope_type, scope_id=scope_id, valid_from=START)

    def manage(self, manager_id, person_id, school_id, starts_on) -> None:
        self._do(commands.assign_line_manager, trust_id=self.trust_id, person_id=person_id, manager_id=manager_id,
                 school_id=school_id, starts_on=starts_on)

    def caller(self, key: str, person_id: str) -> Caller:
        with self.runtime.uow_factory() as uow:
            trust_id = uow.session.execute(people.select().where(people.c.id == person_id)).one().trust_id
            grants = tokens.current_grants(uow.session, person_id)
            token = tokens.issue_access_token(uow.session, person_id=person_id, trust_id=trust_id,
                                              issuer="canopy-identity", audience="canopy")
            uow.commit()
        return Caller(key, Principal(person_id, trust_id, grants), {"Authorization": f"Bearer {token}"})


def test_every_list_shows_exactly_what_its_caller_may_open(sqlite_url):
    runtime = Runtime(SERVICE, make_settings("identity", database_url=sqlite_url))
    report = check_service(runtime, IdentityWriter(runtime), rules=LISTS, documented=DOCS.read_text(),
                           tables={"School": schools, "PersonSummary": people, "AuditEntry": audit_log},
                           access=lambda principal, session: Permissions(principal, IdentityDirectory(session)),
                           filter_values={"q": ["a", "test", "oak.example"]})
    assert_agree(report, "/v1/people", "/v1/me/appraisees", "/v1/schools", "/v1/audit", "/v1/me/access-log")

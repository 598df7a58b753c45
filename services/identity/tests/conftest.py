"""Identity's tests stand it up with the kit's harness (``canopy_kit.testing.harness``).

Identity is the staff directory itself, so its trusts are written by its own commands (which
record the events every other service's ``StaffDirectory`` imitates), and its callers carry the
tokens identity issues, checked with its own keys, as in production.
"""
from datetime import date

import pytest

from canopy_kit.testing import handle_own_events
from canopy_kit.testing.harness import ServiceHarness
from identity import commands, tokens
from identity.service import SERVICE

PASSWORD = "correct horse battery"
START = date(2024, 9, 1)  # when the cast's employments, roles and line management begin


class IdentityHarness(ServiceHarness):
    """Identity on a migrated database: its runtime and documented client, signing in through its
    own API, and its consumer's one job (account mail) on demand."""

    password = PASSWORD

    def __init__(self, database_url: str):
        # Identity trusts only the tokens it issues, verified with its own keys.
        super().__init__(SERVICE, database_url, own_keys=True)

    def token(self, person_id: str, trust_id: str, grants=None) -> dict[str, str]:
        """Headers with the access token identity issues to this person now (its grants are what
        identity's tables say: ``grants`` is not needed)."""
        settings = self.runtime.settings
        with self.runtime.uow_factory() as uow:
            token = tokens.issue_access_token(uow.session, person_id=person_id, trust_id=trust_id,
                                              issuer=settings.token_issuer, audience=settings.token_audience,
                                              passphrase=settings.key_passphrase)
            uow.commit()  # the signing key, made at the first token
        return {"Authorization": f"Bearer {token}"}

    def create_trust(self, slug="oak", email="admin@oak.example.org"):
        with self.runtime.uow_factory() as uow:
            ids = commands.create_trust_with_admin(
                uow, name=f"{slug.title()} Trust", slug=slug, admin_given_name="Ada", admin_family_name="Admin",
                admin_email=email, admin_password=PASSWORD)
            uow.commit()
        return ids

    def login(self, email="admin@oak.example.org", password=PASSWORD, **extra):
        return self.client.post("/v1/auth/login", json={"email": email, "password": password, **extra})

    def access_token(self, email="admin@oak.example.org") -> str:
        """The access token a sign-in with the cast's password gives."""
        response = self.login(email)
        assert response.status_code == 200, response.json
        return response.json["access_token"]

    def send_mail(self):
        """What identity's consumer does after a request: the account mail it asked for goes out."""
        return handle_own_events(self.runtime)


@pytest.fixture
def identity(sqlite_url):
    service = IdentityHarness(sqlite_url)
    yield service
    service.dispose()


@pytest.fixture
def identity_pg(postgres_url):
    service = IdentityHarness(postgres_url)
    yield service
    service.dispose()


class TwoSchoolTrust:
    """A trust with two schools, Ash Primary and Birch Academy, and the cast the permission tests
    need: the admin, a headteacher of each school, two line managers at Ash with an appraisee each,
    a teacher at Birch, and a trust leader who works at no school."""

    def __init__(self, service: IdentityHarness, slug: str = "oak"):
        self.service = service
        with service.runtime.uow_factory() as uow:
            self.trust_id, self.admin = commands.create_trust_with_admin(
                uow, name=f"{slug} trust", slug=slug, admin_given_name="Ada", admin_family_name="Admin",
                admin_email=f"admin@{slug}.example.org", admin_password=PASSWORD)
            self.school_a = commands.add_school(uow, trust_id=self.trust_id, name="Ash Primary", phase="primary",
                                                urn=f"{slug}-a")
            self.school_b = commands.add_school(uow, trust_id=self.trust_id, name="Birch Academy",
                                                phase="secondary", urn=f"{slug}-b")

            def person(name, school, title="Teacher", category="teaching"):
                person_id = commands.register_person(uow, trust_id=self.trust_id, given_name=name,
                                                     family_name="Test", email=f"{name.lower()}@{slug}.example.org")
                if school:
                    commands.start_employment(uow, trust_id=self.trust_id, person_id=person_id, school_id=school,
                                              job_title=title, staff_category=category, starts_on=START)
                return person_id

            def grant(person_id, role, scope_type, scope_id):
                commands.grant_role(uow, trust_id=self.trust_id, person_id=person_id, role=role,
                                    scope_type=scope_type, scope_id=scope_id, valid_from=START)

            self.head_a = person("Hana", self.school_a, "Headteacher", "leadership")
            grant(self.head_a, "headteacher", "school", self.school_a)
            self.head_b = person("Hugo", self.school_b, "Headteacher", "leadership")
            grant(self.head_b, "headteacher", "school", self.school_b)
            self.manager = person("Maya", self.school_a, "Head of Maths")
            self.other_manager = person("Omar", self.school_a, "Head of English")
            self.teacher = person("Tom", self.school_a)
            self.colleague = person("Cara", self.school_a)
            self.teacher_b = person("Bea", self.school_b)
            self.leader = person("Lena", None)
            grant(self.leader, "trust_leader", "trust", self.trust_id)
            commands.assign_line_manager(uow, trust_id=self.trust_id, person_id=self.teacher,
                                         manager_id=self.manager, school_id=self.school_a, starts_on=START)
            commands.assign_line_manager(uow, trust_id=self.trust_id, person_id=self.colleague,
                                         manager_id=self.other_manager, school_id=self.school_a, starts_on=START)
            uow.commit()

    def headers(self, person_id: str) -> dict:
        return self.service.token(person_id, self.trust_id)


@pytest.fixture
def trust(identity):
    return TwoSchoolTrust(identity)

import pytest

from canopy_kit.service import Runtime
from canopy_kit.testing import handle_own_events, make_settings, prepare_database
from canopy_kit.web.app import create_service_app
from identity import commands
from identity.service import SERVICE

PASSWORD = "correct horse battery"


class Identity:
    """An identity service on a given database, with helpers to set up trusts and sign in."""

    password = PASSWORD

    def __init__(self, database_url: str):
        self.runtime = Runtime(SERVICE, make_settings("identity", database_url=database_url))
        prepare_database(self.runtime)
        self.client = create_service_app(self.runtime, testing=True).test_client()

    def create_trust(self, slug="oak", email="admin@oak.example.org"):
        with self.runtime.uow_factory() as uow:
            ids = commands.create_trust_with_admin(
                uow, name=f"{slug.title()} Trust", slug=slug, admin_given_name="Ada", admin_family_name="Admin",
                admin_email=email, admin_password=PASSWORD)
            uow.commit()
        return ids

    def login(self, email="admin@oak.example.org", password=PASSWORD, **extra):
        return self.client.post("/v1/auth/login", json={"email": email, "password": password, **extra})

    def send_mail(self):
        """What identity's consumer does after a request: the account mail it asked for goes out."""
        return handle_own_events(self.runtime)

    def token(self, email="admin@oak.example.org"):
        response = self.login(email)
        assert response.status_code == 200, response.json
        return response.json["access_token"]


@pytest.fixture
def identity(sqlite_url):
    service = Identity(sqlite_url)
    yield service
    service.runtime.dispose()


@pytest.fixture
def identity_pg(postgres_url):
    service = Identity(postgres_url)
    yield service
    service.runtime.dispose()


class SmallTrust:
    """Two schools and a handful of people with the roles the permission tests need."""

    def __init__(self, service: Identity, slug: str = "oak"):
        from datetime import date

        self.service = service
        uow_factory = service.runtime.uow_factory
        with uow_factory() as uow:
            self.trust_id, self.admin = commands.create_trust_with_admin(
                uow, name=f"{slug} trust", slug=slug, admin_given_name="Ada", admin_family_name="Admin",
                admin_email=f"admin@{slug}.example.org", admin_password=PASSWORD)
            self.school_a = commands.add_school(uow, trust_id=self.trust_id, name="Ash Primary", phase="primary",
                                                urn=f"{slug}-a")
            self.school_b = commands.add_school(uow, trust_id=self.trust_id, name="Birch Academy",
                                                phase="secondary", urn=f"{slug}-b")
            start = date(2024, 9, 1)

            def person(name, school, title="Teacher", category="teaching"):
                person_id = commands.register_person(uow, trust_id=self.trust_id, given_name=name,
                                                     family_name="Test", email=f"{name.lower()}@{slug}.example.org")
                if school:
                    commands.start_employment(uow, trust_id=self.trust_id, person_id=person_id, school_id=school,
                                              job_title=title, staff_category=category, starts_on=start)
                return person_id

            def grant(person_id, role, scope_type, scope_id):
                commands.grant_role(uow, trust_id=self.trust_id, person_id=person_id, role=role,
                                    scope_type=scope_type, scope_id=scope_id, valid_from=start)

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
                                         manager_id=self.manager, school_id=self.school_a, starts_on=start)
            commands.assign_line_manager(uow, trust_id=self.trust_id, person_id=self.colleague,
                                         manager_id=self.other_manager, school_id=self.school_a, starts_on=start)
            uow.commit()

    def headers(self, person_id: str) -> dict:
        from identity import tokens

        with self.service.runtime.uow_factory() as uow:
            token = tokens.issue_access_token(uow.session, person_id=person_id, trust_id=self.trust_id,
                                              issuer="canopy-identity", audience="canopy")
            uow.commit()
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def trust(identity):
    return SmallTrust(identity)

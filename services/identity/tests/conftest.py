import pytest

from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from canopy_kit.web.app import create_service_app
from identity import handlers
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
            ids = handlers.create_trust_with_admin(
                uow, name=f"{slug.title()} Trust", slug=slug, admin_given_name="Ada", admin_family_name="Admin",
                admin_email=email, admin_password=PASSWORD)
            uow.commit()
        return ids

    def login(self, email="admin@oak.example.org", password=PASSWORD, **extra):
        return self.client.post("/v1/auth/login", json={"email": email, "password": password, **extra})

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

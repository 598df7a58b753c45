"""Reporting's migrations build exactly the tables its code declares, the kit's included."""
import pytest

from canopy_kit.testing.schema import assert_schema_matches_code


def test_migrations_match_the_code_on_sqlite(sqlite_url):
    assert_schema_matches_code("reporting", sqlite_url)


@pytest.mark.integration
def test_migrations_match_the_code_on_postgres(postgres_url):
    assert_schema_matches_code("reporting", postgres_url)

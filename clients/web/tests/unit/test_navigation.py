"""The menu: every entry is a page of this client, and each is offered to the roles the service
behind it answers (reporting lets a CPD lead read their school's reports)."""
from types import SimpleNamespace

import pytest

from canopy_kit.auth.principal import Grant, Principal
from canopy_web import auth, views

TRUST, SCHOOL = "trust-1", "school-a"


def test_every_menu_entry_is_a_page_of_the_client(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {item.endpoint for item in views.NAVIGATION} <= endpoints


@pytest.fixture
def menu_of(app, monkeypatch):
    def menu(*grants):
        principal = Principal("me", TRUST, tuple(grants))
        monkeypatch.setattr(auth, "current_session", lambda: SimpleNamespace(signed_in=True))
        monkeypatch.setattr(auth, "principal", lambda: principal)
        with app.test_request_context("/"):
            return [label for _url, label, _current in views.navigation()]
    return menu


def test_a_cpd_lead_is_offered_the_dashboards_and_a_teacher_is_not(menu_of):
    cpd_lead = menu_of(Grant("cpd_lead", "school", SCHOOL), Grant("teacher", "school", SCHOOL))
    assert "Dashboards" in cpd_lead and "CPD requests" in cpd_lead and "Trust admin" not in cpd_lead
    assert "Dashboards" not in menu_of(Grant("teacher", "school", SCHOOL))
    assert "Dashboards" in menu_of(Grant("trust_leader", "trust", TRUST))
    assert "My school" in menu_of(Grant("school_admin", "school", SCHOOL))


def test_the_menu_is_empty_before_sign_in(app, monkeypatch):
    monkeypatch.setattr(auth, "current_session", lambda: None)
    with app.test_request_context("/"):
        assert views.navigation() == []

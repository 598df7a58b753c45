"""The shape checker finds each kind of departure from ADR 0019 (so that its silence means something)."""
from dataclasses import replace
from pathlib import Path

import pytest

from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.service import Runtime, UnknownEventType
from canopy_kit.testing import make_settings
from canopy_kit.testing.probe import probe_spec
from canopy_kit.testing.shape import PLACES, ServiceSource, shape_problems


def _service(tmp_path: Path, files: dict[str, str], subscriptions=Subscriptions) -> ServiceSource:
    root = tmp_path / "services" / "fake" / "src" / "fake"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in ("migrations/versions", "tests/unit", "tests/integration"):
        (tmp_path / "services" / "fake" / folder).mkdir(parents=True, exist_ok=True)
    return ServiceSource(replace(probe_spec("fake"), subscriptions=subscriptions), "fake", root)


def _complete(**changes: str) -> dict[str, str]:
    files = {f"{place}/__init__.py" if place in ("domain", "commands", "api") else f"{place}.py": '"""x"""\n'
             for place in PLACES if place not in ("event_handlers", "demo")}
    return {**files, **changes}


def test_a_service_in_the_shape_has_no_problems(tmp_path):
    assert shape_problems(_service(tmp_path, _complete())) == []


def test_a_missing_place_and_an_old_one_are_named(tmp_path):
    files = _complete()
    files.pop("settings.py")
    files["handlers/__init__.py"] = ""
    problems = shape_problems(_service(tmp_path, files))
    assert any("no fake/settings.py" in p for p in problems)
    assert any("fake/handlers is an old place" in p for p in problems)


def test_the_domain_stays_plain_python(tmp_path):
    source = _service(tmp_path, _complete(**{"domain/rules.py": "import sqlalchemy\nfrom fake.tables import x\n"
                                                                 "def f():\n    from flask import g\n"}))
    problems = shape_problems(source)
    assert any("domain/rules.py:1 imports sqlalchemy" in p for p in problems)
    assert any("domain/rules.py:2 imports fake.tables" in p for p in problems)
    assert any("domain/rules.py:4 imports flask" in p for p in problems)  # inside a function too


def test_http_stays_in_the_api(tmp_path):
    source = _service(tmp_path, _complete(**{"commands/decide.py": "from canopy_kit.web.errors import ApiError\n"}))
    assert any("commands/decide.py:1 imports canopy_kit.web" in p for p in shape_problems(source))


def test_the_api_neither_queries_nor_writes(tmp_path):
    view = "from sqlalchemy import select\ndef v(uow):\n    uow.session.execute(select(1))\n    uow.publish('x', {})\n"
    problems = shape_problems(_service(tmp_path, _complete(**{"api/things.py": view})))
    assert any("api/things.py:1 imports sqlalchemy" in p for p in problems)
    assert any("api/things.py:3 calls .execute()" in p for p in problems)
    assert any("api/things.py:4 calls .publish()" in p for p in problems)


def test_subscriptions_name_defined_events_and_handlers_live_in_event_handlers(tmp_path):
    def misplaced(uow, event):
        pass

    misplaced.__module__ = "fake.subscriptions"

    def subscriptions():
        subs = Subscriptions()
        subs.on("identity.person.registred")(misplaced)  # misspelt: no contract defines it
        return subs

    problems = shape_problems(_service(tmp_path, _complete(), subscriptions))
    assert any("'identity.person.registred', which no contract defines" in p for p in problems)
    assert any("fake.subscriptions handles identity.person.registred" in p for p in problems)
    assert any("no fake/event_handlers/" in p for p in problems)


def test_a_service_subscribing_to_an_undefined_event_does_not_start(sqlite_url):
    def subscriptions():
        subs = Subscriptions()
        subs.on("identity.person.registred")(lambda uow, event: None)
        return subs

    runtime = Runtime(replace(probe_spec("fake"), subscriptions=subscriptions),
                      make_settings("fake", database_url=sqlite_url))
    with pytest.raises(UnknownEventType, match="identity.person.registred"):
        runtime.subscriptions
    runtime.dispose()

"""``canopy up`` says in one line when the demo data has reached every service, and only then."""
import dataclasses

from canopy_kit.embedded import DemoProgress
from canopy_kit.startup import service_runtime
from canopy_kit.testing import prepare_database
from canopy_kit.testing.probe import TRUST_ID, person_payload, probe_spec

DELIVERED = "Demo data has reached every service"


class PendingOnce:
    """A demo loader that waits for other services' events once, as portfolio's does."""

    def __init__(self):
        self.calls = 0

    def __call__(self, runtime):
        self.calls += 1
        return {"pending": True} if self.calls == 1 else {"created": True, "logins": []}


def _services(tmp_path, monkeypatch, loader):
    monkeypatch.setenv("CANOPY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LOG_JSON", "0")
    for name in ("DATABASE_URL", "BUS_URL", "PROBE_DATABASE_URL", "PROBE_BUS_URL"):
        monkeypatch.delenv(name, raising=False)
    spec = dataclasses.replace(probe_spec(), load_demo=loader)
    runtime = service_runtime(spec.name, spec)
    prepare_database(runtime)
    return {spec.name: spec}, runtime


def test_the_line_comes_once_every_loader_is_done_and_every_event_delivered(tmp_path, monkeypatch, capsys):
    loader = PendingOnce()
    services, runtime = _services(tmp_path, monkeypatch, loader)
    try:
        progress = DemoProgress(services, started=0.0)
        progress.step()  # the bus is settled, so the waiting loader is asked again and loads
        assert loader.calls == 2 and DELIVERED not in capsys.readouterr().out
        progress.step()
        assert DELIVERED in capsys.readouterr().out and progress.done
        progress.step()
        assert DELIVERED not in capsys.readouterr().out  # said once
    finally:
        runtime.dispose()


def test_no_line_while_an_event_is_still_on_its_way(tmp_path, monkeypatch, capsys):
    services, runtime = _services(tmp_path, monkeypatch, lambda runtime: {"created": True})
    try:
        with runtime.uow_factory() as uow:  # published by nobody: no relay runs in this test
            uow.publish("identity.person.registered", person_payload(), trust_id=TRUST_ID)
            uow.commit()
        progress = DemoProgress(services, started=0.0)
        progress.step()
        progress.step()
        assert DELIVERED not in capsys.readouterr().out and not progress.done
    finally:
        runtime.dispose()

"""The fault tier's one platform for the whole session: a private PostgreSQL cluster and RabbitMQ
node (with the production broker policies), ``canopy up-prod`` on them, a trust, a write load, what
was injected on purpose, and the ledger that becomes ``docs/reliability.md``.

The tests run in file order and each leaves the platform consistent for the next (``settle``).
Without the servers' programs the tier skips, or fails where CI forbids skipping."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from canopy_kit.production.rabbitmq import policies
from canopy_kit.testing.faults.consistency import Expected, check
from canopy_kit.testing.faults.ledger import FaultResult, Ledger
from canopy_kit.testing.faults.load import WriteLoad
from canopy_kit.testing.faults.platform import Platform
from canopy_kit.testing.faults.proxy import FreezableProxy
from canopy_kit.testing.faults.servers import PrivatePostgres, PrivateRabbitMQ, ServerError
from canopy_kit.testing.plugin import unavailable

REPOSITORY = Path(__file__).resolve().parents[2]
REPORT = Path(os.environ.get("CANOPY_RELIABILITY_REPORT", REPOSITORY / "docs" / "reliability.md"))
CONSISTENCY_TIMEOUT_SECONDS = 120  # generous: the measured time is reported, not asserted
AFTER_FAULT_SECONDS = 2.0  # the load runs on this long after each fault ends


@dataclass
class Tier:
    postgres: PrivatePostgres
    rabbitmq: PrivateRabbitMQ
    platform: Platform
    load: WriteLoad
    expected: Expected
    ledger: Ledger
    reporting_broker: FreezableProxy  # between reporting's processes and the broker

    def settle(self, name: str, how: str, since: float, *, record: bool = True) -> float:
        """Wait until everything is consistent; the seconds it took since ``since``. Fails with the
        problems still found after ``CONSISTENCY_TIMEOUT_SECONDS``."""
        deadline = time.monotonic() + CONSISTENCY_TIMEOUT_SECONDS
        while True:
            report = check(self.platform, self.load.record, self.expected)
            if report.consistent or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        seconds = time.monotonic() - since if report.consistent else None
        if record:
            self.ledger.faults.append(FaultResult(name, how, seconds, report))
        assert report.consistent, f"{name}: not consistent after {CONSISTENCY_TIMEOUT_SECONDS}s: {report.problems}"
        return seconds

    def after_fault(self) -> float:
        """The moment a fault ended; the load then runs on a little before the block ends."""
        ended = time.monotonic()
        time.sleep(AFTER_FAULT_SECONDS)
        return ended


def _production_policies(rabbitmq: PrivateRabbitMQ) -> None:
    """The private node gets the policies the deployed broker has (deploy/rabbitmq), among them
    the quorum delivery limit: what the tier proves must hold with them."""
    for policy in policies("", "/"):
        rabbitmq.set_policy(policy["name"], policy["pattern"], policy["definition"], policy["apply-to"],
                            policy["priority"])


@pytest.fixture(scope="session")
def tier(tmp_path_factory, request):
    postgres = rabbitmq = platform = reporting_broker = None
    ledger = Ledger()
    try:
        try:
            postgres = PrivatePostgres()
            postgres.start()
            rabbitmq = PrivateRabbitMQ()
            rabbitmq.start()
            _production_policies(rabbitmq)
        except (ServerError, OSError, KeyError) as exc:
            unavailable("the fault tier's own PostgreSQL and RabbitMQ", exc)
        reporting_broker = FreezableProxy("127.0.0.1", rabbitmq.port)
        platform = Platform(tmp_path_factory.mktemp("faults"), REPOSITORY, postgres, rabbitmq,
                            env={"REPORTING_BUS_URL": reporting_broker.url(rabbitmq.url)})
        platform.start()
        load = WriteLoad(platform.gateway, platform.auth, platform.admin_id, platform.unique)
        tier = Tier(postgres, rabbitmq, platform, load, Expected(), ledger, reporting_broker)
        tier.settle("start-up", "", time.monotonic(), record=False)  # every consumer knows the trust
        yield tier
        if ledger.faults:
            here = Path(__file__).parent
            ledger.tests_run = sum(1 for item in request.session.items if here in Path(item.path).parents)
            ledger.tests_failed = request.session.testsfailed
            REPORT.write_text(ledger.markdown(load.record, REPOSITORY))
    finally:
        for stop in (platform and platform.stop, reporting_broker and reporting_broker.close,
                     rabbitmq and rabbitmq.remove, postgres and postgres.remove):
            if stop:
                try:
                    stop()
                except Exception as exc:  # one failure must not leave the other servers running
                    print(f"fault tier clean-up: {type(exc).__name__}: {exc}")

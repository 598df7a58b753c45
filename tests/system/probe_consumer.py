"""A consuming service for the system tests, run as a process exactly as ``canopy <service>
consumer`` runs one (``run_process``: stops cleanly on SIGTERM, ``/metrics`` on METRICS_PORT):
the kit's probe, which records every ``identity.person.registered`` it handles as one row.

Identity consumes nothing yet, so the probe stands in for "another service". Settings come from
the environment (``PROBE_DATABASE_URL``, ``BUS_URL``, ``CANOPY_EXCHANGE``, ``CANOPY_QUEUE_PREFIX``).
"""
import sys

from canopy_kit.db.migrations import ensure_database
from canopy_kit.logs import configure_logging
from canopy_kit.processes import run_process
from canopy_kit.service import Runtime
from canopy_kit.settings import Settings
from canopy_kit.testing.helpers import prepare_database
from canopy_kit.testing.probe import probe_spec


def main() -> int:
    settings = Settings.from_env("probe")
    configure_logging("probe", level=settings.log_level, as_json=settings.log_json)
    ensure_database(settings.database_url)
    runtime = Runtime(probe_spec(), settings)
    prepare_database(runtime)
    run_process("consumer", runtime)
    return 0


if __name__ == "__main__":
    sys.exit(main())

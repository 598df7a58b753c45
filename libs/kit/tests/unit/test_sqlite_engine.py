"""SQLite as the embedded default: tuned for several processes writing one file."""
import threading

from sqlalchemy import func, select, text

from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.tables import outbox
from canopy_kit.testing.probe import publish_people


def test_pragmas_are_set_on_every_connection(sqlite_url):
    engine = create_engine_for(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_concurrent_writers_wait_for_each_other_instead_of_failing(probe_factory, sqlite_url):
    # Separate runtimes = separate engines and connections, as separate processes would have.
    writers = [probe_factory(sqlite_url) for _ in range(4)]
    errors = []

    def write(runtime):
        try:
            for _ in range(25):
                publish_people(runtime, 2)
        except Exception as exc:  # "database is locked" would land here
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(runtime,)) for runtime in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with writers[0].engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar() == 4 * 25 * 2

"""Bulk staff import: a 10,000-row CSV into identity, on SQLite and PostgreSQL.

Measures checking the file (dry run), applying it (one transaction: rows, events, audit), and
re-applying it (the no-op every re-run must be), each the median of several runs on a fresh
database, against a baseline measured in the same run: bare Core ``executemany`` of the same
people and employments (no checks, no events). Target: well under a minute for 10,000 rows.

    python -m bench.import_staff [--rows 10000] [--repeats 3] [--quick] [--no-write] [--sqlite-only]
"""
from __future__ import annotations

import csv
import io
import tempfile
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from bench.common import benchmark_arguments, median_seconds, postgres_database, publish
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from identity import commands
from identity.tables import employments, people
from identity.importer import COLUMNS, run_import
from identity.service import SERVICE

TITLE = "Bulk staff import (identity)"
TARGET_SECONDS = 60


def staff_csv(rows: int) -> bytes:
    """Teams of ten across ten schools: each team's first member manages the other nine."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for i in range(rows):
        lead = i - i % 10
        writer.writerow({
            "email": f"staff{i:06d}@bench.example.org", "given_name": f"Given{i}", "family_name": f"Family{i}",
            "preferred_name": "", "school_urn": f"u{(i // 10) % 10}", "job_title": "Teacher",
            "staff_category": "teaching", "fte": "1", "starts_on": "2024-09-01", "ends_on": "",
            "roles": "teacher;line_manager" if i == lead else "teacher",
            "line_manager_email": "" if i == lead else f"staff{lead:06d}@bench.example.org"})
    return out.getvalue().encode()


def fresh_identity(database_url: str) -> tuple[Runtime, str]:
    runtime = Runtime(SERVICE, make_settings("identity", database_url=database_url))
    prepare_database(runtime)
    with runtime.uow_factory() as uow:
        trust_id = commands.create_trust(uow, name="Bench Trust", slug=f"bench-{uuid.uuid4().hex[:6]}")
        for n in range(10):
            commands.add_school(uow, trust_id=trust_id, name=f"School {n}", phase="primary", urn=f"u{n}")
        uow.commit()
    return runtime, trust_id


def measure(database_urls, rows: int, repeats: int) -> dict[str, dict[str, float]]:
    data = staff_csv(rows)
    results: dict[str, dict[str, float]] = {}
    for backend, new_url in database_urls.items():
        timings: dict[str, list[float]] = {"baseline": [], "check": [], "apply": [], "reapply": []}
        for _ in range(repeats):
            with new_url() as url:
                runtime, trust_id = fresh_identity(url)
                try:
                    for phase, dry_run in (("check", True), ("apply", False), ("reapply", False)):
                        def run():
                            with runtime.uow_factory() as uow:
                                report = run_import(uow, data, trust_id=trust_id, dry_run=dry_run)
                                assert report.valid, report.problems[:3]
                                uow.commit()
                        timings[phase].append(median_seconds(run, 1)[0])
                    timings["baseline"].append(median_seconds(lambda: baseline(runtime, trust_id, rows), 1)[0])
                finally:
                    runtime.dispose()
        results[backend] = {phase: sorted(values)[len(values) // 2] for phase, values in timings.items()}
    return results


def baseline(runtime: Runtime, trust_id: str, rows: int) -> None:
    """The same number of people and employments written with no checks and no events."""
    school_id = str(uuid.uuid4())
    from identity.tables import schools

    with runtime.engine.begin() as conn:
        conn.execute(insert(schools).values(id=school_id, trust_id=trust_id, name=f"Baseline {school_id}",
                                            phase="primary", urn=None, status="open", created_at=_now()))
        person_rows = [{"id": str(uuid.uuid4()), "trust_id": trust_id, "given_name": "G", "family_name": "F",
                        "preferred_name": None, "email": f"base{i}-{school_id}@x.org", "status": "invited",
                        "password_hash": None, "password_changed_at": None, "created_at": _now()}
                       for i in range(rows)]
        conn.execute(insert(people), person_rows)
        conn.execute(insert(employments), [{"id": str(uuid.uuid4()), "trust_id": trust_id, "person_id": p["id"],
                                            "school_id": school_id, "job_title": "Teacher",
                                            "staff_category": "teaching", "fte": 1, "starts_on": date(2024, 9, 1),
                                            "ends_on": None} for p in person_rows])


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def sqlite_database():
    from contextlib import contextmanager

    @contextmanager
    def new():
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'identity.db'}"

    return new


def report(results: dict, rows: int, repeats: int) -> str:
    lines = [f"{rows:,} rows (people, employments, roles, line managers), median of {repeats} runs on a fresh "
             f"database; target: apply well under {TARGET_SECONDS} s.", "",
             "| backend | check (dry run) | apply | re-apply (no-op) | baseline: bare inserts | apply / baseline "
             "| target met |", "|---|---|---|---|---|---|---|"]
    for backend, t in results.items():
        lines.append(f"| {backend} | {t['check']:.2f} s | {t['apply']:.2f} s | {t['reapply']:.2f} s | "
                     f"{t['baseline']:.2f} s | {t['apply'] / t['baseline']:.1f}x | "
                     f"{'yes' if t['apply'] < TARGET_SECONDS else 'NO'} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = benchmark_arguments(__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    rows, repeats = (30, 1) if args.quick else (args.rows, args.repeats)
    backends = {"SQLite": sqlite_database()}
    if not args.sqlite_only:
        backends["PostgreSQL"] = postgres_database
    publish(TITLE, report(measure(backends, rows, repeats), rows, repeats), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Trust-scale reports: the standard dashboards over a generated trust, against the naive aggregate
queries over the raw rows that give the same figures.

A trust of 50 schools and 10,000 staff with 1,000,000 observation records (two academic years;
seven in ten reportable, each with three ratings linked to principles) and 300,000 CPD activities
(with 150,000 evaluations) is written into reporting's fact tables on PostgreSQL, and the rollups
are rebuilt from them (``canopy reporting rebuild``: timed). Then each dashboard is requested
through reporting's Flask app in-process, with a trust leader's token (token check, permission and
scope, rollup query, small-group suppression, JSON), and the same figures are computed by a plain
GROUP BY over the facts. The observation figures of both are compared, so a fast wrong answer
cannot pass. Finally a batch of new record events goes through the consumer's inbox path, to show
what keeping the rollups costs per event at this size. Targets: p95 under 50 ms per report and at
least 5 times faster than the naive query.

    python -m bench.reports [--quick] [--no-write]
"""
from __future__ import annotations

import time
import uuid
from statistics import median

from sqlalchemy import text

from bench.common import benchmark_arguments, markdown_table, met, percentile, postgres_database, publish, versions

TITLE = "Trust-scale reports"
P95_TARGET_MS, SPEEDUP_TARGET = 50.0, 5.0
FULL = {"schools": 50, "staff": 10_000, "records": 1_000_000, "activities": 300_000, "requests": 60, "naive": 3,
        "events": 2_000}
QUICK = {"schools": 6, "staff": 120, "records": 3_000, "activities": 900, "requests": 5, "naive": 1, "events": 50}
PRINCIPLES = 10
TYPES = ("course", "conference", "qualification", "inset", "trust_programme", "coaching", "peer_observation",
         "reading", "online", "other")

# Deterministic ids from a counter: md5('<kind><n>') read as a UUID.
GENERATE = [
    """INSERT INTO dir_schools (school_id, trust_id, name, phase, status, updated_at)
       SELECT md5('school' || i)::uuid::text, :trust, 'School ' || i,
              CASE WHEN i % 3 = 0 THEN 'secondary' ELSE 'primary' END, 'open', now()
       FROM generate_series(1, :schools) i""",
    """INSERT INTO dir_employments (employment_id, trust_id, person_id, school_id, job_title, staff_category, fte,
                                   starts_on, ends_on, updated_at)
       SELECT md5('employment' || j)::uuid::text, :trust, md5('person' || j)::uuid::text,
              md5('school' || (1 + j % :schools))::uuid::text, 'Teacher', 'teaching', 1, DATE '2020-09-01', NULL,
              now()
       FROM generate_series(1, :staff) j""",
    """INSERT INTO principles (principle_id, trust_id, framework_key, framework_name, code, title, updated_at)
       SELECT md5('principle' || k)::uuid::text, :trust, 'tlp', 'Teaching and learning principles', 'P' || k,
              'Principle ' || k, now()
       FROM generate_series(1, :principles) k""",
    """INSERT INTO obs_records (record_id, trust_id, school_id, observee_id, kind, observed_on, academic_year, privacy,
                               status, open_action_steps, occurred_at)
       SELECT md5('record' || i)::uuid::text, :trust, md5('school' || (1 + p % :schools))::uuid::text,
              md5('person' || p)::uuid::text, 'drop_in', d,
              CAST(extract(year FROM d) AS int) - CASE WHEN extract(month FROM d) < 9 THEN 1 ELSE 0 END,
              CASE WHEN h % 10 < 7 THEN 'reportable' ELSE 'developmental' END,
              CASE WHEN h % 20 = 10 THEN 'draft' WHEN h % 2 = 0 THEN 'acknowledged' ELSE 'shared' END, i % 3, now()
       FROM (SELECT i, 1 + (i::bigint * 7919) % :staff AS p, :first_day + (i % 730) AS d,
                    abs(hashtext('record' || i)) AS h
             FROM generate_series(1, :records) i) g""",
    """INSERT INTO obs_ratings (record_id, item_id, trust_id, school_id, academic_year, person_id, principle_id,
                               normalised)
       SELECT r.record_id, 'item' || k, r.trust_id, r.school_id, r.academic_year, r.observee_id,
              md5('principle' || (1 + (abs(hashtext(r.record_id)) + k * 3) % :principles))::uuid::text,
              ((abs(hashtext(r.record_id)) + k * 17) % 5) / 4.0
       FROM obs_records r CROSS JOIN generate_series(0, 2) k
       WHERE r.trust_id = :trust AND r.privacy = 'reportable' AND r.status <> 'draft'""",
    """INSERT INTO cpd_activities (activity_id, trust_id, person_id, school_id, activity_type, delivery, starts_on,
                                  academic_year, hours, cost, cover_needed, occurred_at)
       SELECT md5('activity' || i)::uuid::text, :trust, md5('person' || p)::uuid::text,
              md5('school' || (1 + p % :schools))::uuid::text, (CAST(:types AS text[]))[1 + (i / 7) % 10],
              CASE WHEN i % 3 = 0 THEN 'external' ELSE 'internal' END, d,
              CAST(extract(year FROM d) AS int) - CASE WHEN extract(month FROM d) < 9 THEN 1 ELSE 0 END,
              1.5 * (1 + i % 12), 75 * (i % 5), i % 4 = 0, now()
       FROM (SELECT i, 1 + (i::bigint * 104729) % :staff AS p, :first_day + (i % 730) AS d
             FROM generate_series(1, :activities) i) g""",
    """INSERT INTO cpd_evaluations (evaluation_id, trust_id, activity_id, person_id, school_id, stage, reaction,
                                   learning, use_in_practice, pupil_outcomes, submitted_on, academic_year,
                                   occurred_at)
       SELECT md5('evaluation' || a.activity_id)::uuid::text, a.trust_id, a.activity_id, a.person_id, a.school_id,
              CASE WHEN a.cover_needed THEN 'follow_up' ELSE 'immediate' END, 1 + length(a.activity_id) % 5,
              1 + ascii(a.activity_id) % 5, CASE WHEN a.cover_needed THEN 1 + ascii(a.person_id) % 5 END, NULL,
              a.starts_on, a.academic_year, now()
       FROM cpd_activities a WHERE a.trust_id = :trust AND ascii(right(a.activity_id, 1)) % 2 = 0""",
]

# The same figures as each dashboard, straight from the facts: per school, then trust-wide.
NAIVE = {
    "observations": """
        SELECT school_id, principle_id, count(DISTINCT person_id) AS people, count(*) AS ratings, avg(normalised),
               avg(CASE WHEN normalised >= 0.75 THEN 1.0 ELSE 0 END), avg(CASE WHEN normalised < 0.5 THEN 1.0 ELSE 0 END)
        FROM obs_ratings WHERE trust_id = :trust AND academic_year = :year GROUP BY school_id, principle_id
        UNION ALL
        SELECT 'all', principle_id, count(DISTINCT person_id), count(*), avg(normalised),
               avg(CASE WHEN normalised >= 0.75 THEN 1.0 ELSE 0 END), avg(CASE WHEN normalised < 0.5 THEN 1.0 ELSE 0 END)
        FROM obs_ratings WHERE trust_id = :trust AND academic_year = :year GROUP BY principle_id""",
    "cpd": """
        SELECT school_id, count(DISTINCT person_id), count(*), sum(hours), sum(cost), sum(CASE WHEN cover_needed THEN 1 ELSE 0 END)
        FROM cpd_activities WHERE trust_id = :trust AND academic_year = :year GROUP BY school_id
        UNION ALL
        SELECT 'all', count(DISTINCT person_id), count(*), sum(hours), sum(cost), sum(CASE WHEN cover_needed THEN 1 ELSE 0 END)
        FROM cpd_activities WHERE trust_id = :trust AND academic_year = :year""",
    "cpd-types": """
        SELECT school_id, activity_type, count(DISTINCT person_id), count(*), sum(hours), sum(cost)
        FROM cpd_activities WHERE trust_id = :trust AND academic_year = :year GROUP BY school_id, activity_type
        UNION ALL
        SELECT 'all', activity_type, count(DISTINCT person_id), count(*), sum(hours), sum(cost)
        FROM cpd_activities WHERE trust_id = :trust AND academic_year = :year GROUP BY activity_type""",
    "impact": """
        SELECT school_id, stage, count(DISTINCT person_id), count(*), avg(reaction), avg(learning), avg(use_in_practice)
        FROM cpd_evaluations WHERE trust_id = :trust AND academic_year = :year GROUP BY school_id, stage
        UNION ALL
        SELECT 'all', stage, count(DISTINCT person_id), count(*), avg(reaction), avg(learning), avg(use_in_practice)
        FROM cpd_evaluations WHERE trust_id = :trust AND academic_year = :year GROUP BY stage""",
    "participation": """
        SELECT s.school_id, (SELECT count(DISTINCT person_id) FROM dir_employments e WHERE e.school_id = s.school_id),
               (SELECT count(DISTINCT observee_id) FROM obs_records r WHERE r.trust_id = :trust
                  AND r.academic_year = :year AND r.school_id = s.school_id AND r.privacy = 'reportable'
                  AND r.status <> 'draft'),
               (SELECT count(DISTINCT person_id) FROM cpd_activities a WHERE a.trust_id = :trust
                  AND a.academic_year = :year AND a.school_id = s.school_id)
        FROM dir_schools s WHERE s.trust_id = :trust""",
}


class ReportingOnPostgres:
    """Reporting's runtime and app on a fresh database, with a trust leader's token."""

    def __init__(self, database_url: str):
        from canopy_kit.service import Runtime
        from canopy_kit.testing import make_settings, prepare_database
        from canopy_kit.testing.directory import TokenMinter
        from canopy_kit.web.app import create_service_app
        from reporting.service import SERVICE

        minter = TokenMinter()
        self.runtime = Runtime(minter.spec_with_keys(SERVICE), make_settings("reporting", database_url=database_url))
        prepare_database(self.runtime)
        self.client = create_service_app(self.runtime).test_client()
        self.trust_id = str(uuid.uuid4())
        self.minter, self.leader_id = minter, str(uuid.uuid4())

    @property
    def headers(self) -> dict:
        # Minted when asked: generating a large trust can outlast a token's ten minutes.
        leader = [{"role": "trust_leader", "scope": "trust", "id": self.trust_id}]
        return {"Authorization": "Bearer " + self.minter.token(self.leader_id, self.trust_id, leader)}


def generate(reporting: ReportingOnPostgres, sizes: dict, year: int) -> dict[str, float]:
    """Write the trust's facts and rebuild the rollups; returns the seconds each step took."""
    from datetime import date

    from reporting.commands.replay import rebuild_rollups

    params = {"trust": reporting.trust_id, "principles": PRINCIPLES, "types": list(TYPES),
              "first_day": date(year - 1, 9, 1), **sizes}
    timings = {}
    started = time.perf_counter()
    with reporting.runtime.engine.begin() as conn:
        for statement in GENERATE:
            conn.execute(text(statement), params)
    with reporting.runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    timings["generate"] = time.perf_counter() - started
    started = time.perf_counter()
    with reporting.runtime.uow_factory() as uow:
        rebuild_rollups(uow, reporting.trust_id)
        uow.commit()
    timings["rebuild"] = time.perf_counter() - started
    with reporting.runtime.engine.connect() as conn:
        timings["ratings"] = conn.execute(text("SELECT count(*) FROM obs_ratings")).scalar()
        timings["evaluations"] = conn.execute(text("SELECT count(*) FROM cpd_evaluations")).scalar()
    return timings


def time_report(reporting: ReportingOnPostgres, name: str, year: int, requests: int) -> tuple[list[float], dict]:
    times, body, headers = [], None, reporting.headers
    for _ in range(requests + 2):  # two warm-up requests first
        started = time.perf_counter()
        response = reporting.client.get(f"/v1/reports/{name}", query_string={"year": year}, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        body = response.get_json()
    return times[2:], body


def time_naive(reporting: ReportingOnPostgres, name: str, year: int, repeats: int) -> tuple[float, list]:
    times, rows = [], []
    with reporting.runtime.engine.connect() as conn:
        for _ in range(repeats):
            started = time.perf_counter()
            rows = conn.execute(text(NAIVE[name]), {"trust": reporting.trust_id, "year": year}).all()
            times.append((time.perf_counter() - started) * 1000)
    return median(times), rows


def check_same_figures(body: dict, naive_rows: list) -> None:
    """Every shown observation cell equals the naive query's figures for it."""
    naive = {(row[0], row[1]): row for row in naive_rows}
    shown = [row for row in body["rows"] if not row["suppressed"]]
    if not shown:
        raise AssertionError("the observation dashboard showed nothing")
    for row in shown:
        school, principle, people, ratings, mean = naive[(row["school_id"], row["principle_id"])][:5]
        if (row["people"], row["ratings"]) != (people, ratings) or abs(row["mean"] - float(mean)) > 1e-3:
            raise AssertionError(f"observation cell {row['school_id']}/{row['code']} differs from the raw rows")


def time_event_path(reporting: ReportingOnPostgres, sizes: dict) -> float:
    """Events per second through the inbox and handlers on top of the generated trust."""
    from canopy_contracts import new_envelope
    from canopy_kit.events.inbox import Delivery, InboxProcessor

    registry = reporting.runtime.registry
    example = registry.latest("observation.record.shared").example
    inbox = InboxProcessor("reporting", reporting.runtime.uow_factory, reporting.runtime.subscriptions, registry)
    events, envelopes = sizes["events"], []
    for n in range(events):  # new records of the generated staff, at their schools
        person = 1 + (n * 31) % sizes["staff"]
        rating = {**example["ratings"][0], "principle_id": _id(f"principle{1 + n % PRINCIPLES}")}
        payload = {**example, "record_id": str(uuid.uuid4()), "observee_id": _id(f"person{person}"),
                   "school_id": _id(f"school{1 + person % sizes['schools']}"), "ratings": [rating]}
        envelopes.append(new_envelope(event_type="observation.record.shared", version=1, producer="observation",
                                      trust_id=reporting.trust_id, payload=payload))
    started = time.perf_counter()
    batch = reporting.runtime.settings.consumer_batch_size
    for start in range(0, events, batch):
        done = inbox.process([Delivery(body=e.to_json(), message_id=e.event_id) for e in envelopes[start:start + batch]])
        if {d.outcome.value for d in done} != {"handled"}:
            raise RuntimeError([d.error for d in done if d.error][:3])
    return events / (time.perf_counter() - started)


def _id(seed: str) -> str:
    """The id the generator's md5(seed)::uuid gives."""
    import hashlib

    return str(uuid.UUID(hex=hashlib.md5(seed.encode()).hexdigest()))


def measure(sizes: dict) -> dict:
    from reporting.domain.years import current as current_year

    year = current_year()
    results: dict = {"sizes": sizes, "year": year, "reports": {}}
    with postgres_database() as url:
        reporting = ReportingOnPostgres(url)
        try:
            results["setup"] = generate(reporting, sizes, year)
            for name in NAIVE:
                times, body = time_report(reporting, name, year, sizes["requests"])
                naive_ms, naive_rows = time_naive(reporting, name, year, sizes["naive"])
                if name == "observations":
                    check_same_figures(body, naive_rows)
                results["reports"][name] = {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                                            "naive": naive_ms, "rows": len(body["rows"])}
            results["events_per_second"] = time_event_path(reporting, sizes)
        finally:
            reporting.runtime.dispose()
    return results


def report(results: dict) -> str:
    sizes, setup = results["sizes"], results["setup"]
    rows = []
    for name, r in results["reports"].items():
        speedup = r["naive"] / r["p50"]
        rows.append([f"`{name}` ({r['rows']} rows)", f"{r['p50']:.1f} ms", f"{r['p95']:.1f} ms",
                     f"{r['naive']:.0f} ms", f"{speedup:.0f}x",
                     met(r["p95"] < P95_TARGET_MS and speedup >= SPEEDUP_TARGET)])
    return (f"{versions()}. A trust of {sizes['schools']} schools, {sizes['staff']:,} staff, "
            f"{sizes['records']:,} observation records ({setup['ratings']:,} ratings of reportable records) and "
            f"{sizes['activities']:,} CPD activities ({setup['evaluations']:,} evaluations) over two academic years; "
            f"facts written in {setup['generate']:.0f} s, rollups rebuilt from them in {setup['rebuild']:.1f} s. "
            f"Each dashboard requested {sizes['requests']} times for the current year through reporting's app "
            f"in-process (token, permission, rollup query, suppression, JSON); the baseline is the plain GROUP BY over "
            f"the facts giving the same figures (median of {sizes['naive']}); speed-up is baseline / Canopy p50. "
            f"The observation figures of both were checked equal. Keeping the rollups from events at this size: "
            f"{results['events_per_second']:,.0f} record events/s through the inbox (batches of 100, no broker).\n\n"
            + markdown_table(["dashboard", "Canopy p50", "Canopy p95", "baseline: naive query", "speed-up",
                              f"p95 < {P95_TARGET_MS:.0f} ms and ≥ {SPEEDUP_TARGET:.0f}x"], rows))


def main(argv=None) -> int:
    args = benchmark_arguments(__doc__).parse_args(argv)
    results = measure(QUICK if args.quick else FULL)
    publish(TITLE, report(results), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The demo's dashboards count everything the demo wrote: identity's and portfolio's demo data, on
SQLite, their events handed to each consumer's inbox as the consumers would (in batches, then all
again), and reporting's read models and rollup cells (before suppression) hold every activity,
every submitted evaluation and every CPD request (by status: pending, approved, declined) that
portfolio's database holds, approved requests' activities among the activities. Portfolio is held
to having published an event for every request and every decision. (Observation's demo is left
out: it writes some twenty thousand records, minutes of a test.)"""
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from canopy_kit.db.tables import outbox
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.service import Runtime
from canopy_kit.testing import make_settings, prepare_database
from identity.service import SERVICE as IDENTITY
from portfolio.service import SERVICE as PORTFOLIO
from portfolio.tables import activities, cpd_requests, evaluations
from reporting.domain.scope import ALL_SCHOOLS
from reporting.service import SERVICE as REPORTING

BATCH = 100  # about what a consumer takes from its queue at once
SUBMITTED = evaluations.c.submitted_at.is_not(None)


@pytest.fixture
def demo_platform(tmp_path):
    runtimes = []
    for spec in (IDENTITY, PORTFOLIO, REPORTING):
        runtime = Runtime(spec, make_settings(spec.name, database_url=f"sqlite:///{tmp_path / spec.name}.db",
                                              data_dir=tmp_path))
        prepare_database(runtime)
        runtimes.append(runtime)
    yield runtimes
    for runtime in runtimes:
        runtime.dispose()


def _read(runtime: Runtime, query) -> list:
    with runtime.engine.connect() as conn:
        return conn.execute(query).all()


def _count(runtime: Runtime, query) -> int:
    [(count,)] = _read(runtime, query)
    return count or 0


def _counts(runtime: Runtime, query) -> Counter:
    """``(key, count)`` rows as a Counter."""
    return Counter(dict(_read(runtime, query)))


def _deliver(producer: Runtime, consumer: Runtime, share: float = 1.0) -> set[str]:
    """The events ``producer`` recorded (the first ``share`` of them), through ``consumer``'s inbox;
    the outcomes there were."""
    inbox = InboxProcessor(consumer.spec.name, consumer.uow_factory, consumer.subscriptions, consumer.registry)
    bodies = [body for (body,) in _read(producer, select(outbox.c.envelope).order_by(outbox.c.id))]
    bodies = bodies[:round(len(bodies) * share)]
    return {d.outcome.value for start in range(0, len(bodies), BATCH)
            for d in inbox.process([Delivery(body=body) for body in bodies[start:start + BATCH]])}


def _by_school_and_status(runtime: Runtime, query) -> Counter:
    """``(school, status, count)`` rows as a Counter keyed by ``(school, status)``."""
    return Counter({(school, status): count for school, status, count in _read(runtime, query)})


def test_reporting_counts_every_activity_evaluation_and_request_the_demo_wrote(demo_platform):
    identity, portfolio, reporting = demo_platform
    IDENTITY.load_demo(identity)
    assert PORTFOLIO.load_demo(portfolio)["pending"]  # nobody in its directory yet
    assert _deliver(identity, portfolio, share=0.6) <= {"handled", "ignored"}
    waiting = PORTFOLIO.load_demo(portfolio)  # people, but not yet all their employments and roles
    assert waiting["pending"] and "not yet projected" in waiting["reason"], waiting
    assert _deliver(identity, portfolio) <= {"handled", "duplicate", "ignored"}
    loaded = PORTFOLIO.load_demo(portfolio)
    assert loaded["created"] and loaded["evaluations_submitted"] > 100, loaded
    events = _counts(portfolio, select(outbox.c.event_type, func.count()).group_by(outbox.c.event_type))
    assert PORTFOLIO.load_demo(portfolio) == {"created": False}  # a second run changes nothing
    assert _counts(portfolio, select(outbox.c.event_type, func.count()).group_by(outbox.c.event_type)) == events

    # Everything portfolio wrote has its event.
    [trust_id] = {row.trust_id for row in _read(portfolio, select(activities.c.trust_id).distinct())}
    written = {
        "portfolio.cpd.recorded": _count(portfolio, select(func.count()).select_from(activities)),
        "portfolio.evaluation.submitted": _count(portfolio, select(func.count()).where(SUBMITTED)),
        "portfolio.cpd_request.submitted": _count(portfolio, select(func.count()).select_from(cpd_requests)),
        "portfolio.cpd_request.decided": _count(portfolio, select(func.count()).where(
            cpd_requests.c.status.in_(("approved", "declined")))),
    }
    assert {kind: events[kind] for kind in written} == written
    approved = {row.activity_id for row in _read(portfolio, select(cpd_requests.c.activity_id).where(
        cpd_requests.c.status == "approved"))}
    assert approved and None not in approved and written["portfolio.cpd_request.decided"] > len(approved)

    for producer in (identity, portfolio):
        assert _deliver(producer, reporting) <= {"handled", "ignored"}
    for producer in (identity, portfolio):  # every event again, as a relay that died before marking them sends
        assert _deliver(producer, reporting) <= {"duplicate", "ignored"}

    # Reporting's facts: every activity (approved requests' among them) and every evaluation, once.
    tables = REPORTING.metadata.tables
    facts, evaluated = tables["cpd_activities"], tables["cpd_evaluations"]
    counted = {row.activity_id for row in _read(reporting, select(facts.c.activity_id).where(
        facts.c.trust_id == trust_id))}
    assert len(counted) == written["portfolio.cpd.recorded"] and approved <= counted
    assert _count(reporting, select(func.count()).where(evaluated.c.trust_id == trust_id)) \
        == written["portfolio.evaluation.submitted"]

    # The rollup cells the dashboards read, before suppression: the trust's, each school's, each stage's.
    schools, impact = tables["cpd_school_cells"], tables["impact_cells"]
    [trust_cells] = _read(reporting, select(func.sum(schools.c.activities), func.sum(schools.c.hours),
                                            func.sum(schools.c.cost))
                          .where(schools.c.trust_id == trust_id, schools.c.school_id == ALL_SCHOOLS))
    [(hours, cost)] = _read(portfolio, select(func.sum(activities.c.hours), func.sum(activities.c.cost)))
    assert (trust_cells[0], Decimal(trust_cells[1]), Decimal(trust_cells[2])) \
        == (written["portfolio.cpd.recorded"], hours, cost)
    by_school = _counts(portfolio, select(activities.c.school_id, func.count())
                        .where(activities.c.school_id.is_not(None)).group_by(activities.c.school_id))
    assert _counts(reporting, select(schools.c.school_id, func.sum(schools.c.activities))
                   .where(schools.c.trust_id == trust_id, schools.c.school_id.in_(list(by_school)))
                   .group_by(schools.c.school_id)) == by_school
    by_stage = _counts(portfolio, select(evaluations.c.stage, func.count()).where(SUBMITTED)
                       .group_by(evaluations.c.stage))
    assert _counts(reporting, select(impact.c.stage, func.sum(impact.c.evaluations))
                   .where(impact.c.trust_id == trust_id, impact.c.school_id == ALL_SCHOOLS)
                   .group_by(impact.c.stage)) == by_stage

    # Every CPD request, by status, as portfolio holds it: reporting's facts, and the cells its
    # report reads (each school's and the trust's), with the cost asked and the cost approved.
    held, counted_in = tables["cpd_requests"].c, tables["cpd_request_cells"].c
    asked = cpd_requests.c
    by_status = _counts(portfolio, select(asked.status, func.count()).group_by(asked.status))
    assert set(by_status) == {"pending", "approved", "declined"}
    assert by_status.total() == written["portfolio.cpd_request.submitted"]
    assert _counts(reporting, select(held.status, func.count()).where(held.trust_id == trust_id)
                   .group_by(held.status)) == by_status
    trust_row = (counted_in.trust_id == trust_id, counted_in.school_id == ALL_SCHOOLS)
    assert _counts(reporting, select(counted_in.status, func.sum(counted_in.requests)).where(*trust_row)
                   .group_by(counted_in.status)) == by_status
    school_rows = (counted_in.trust_id == trust_id, counted_in.school_id != ALL_SCHOOLS)
    assert _by_school_and_status(reporting, select(counted_in.school_id, counted_in.status,
                                                   func.sum(counted_in.requests))
                                 .where(*school_rows).group_by(counted_in.school_id, counted_in.status)) \
        == _by_school_and_status(portfolio, select(asked.school_id, asked.status, func.count())
                                 .group_by(asked.school_id, asked.status))
    [(cost_asked, cost_approved)] = _read(reporting, select(func.sum(counted_in.cost_asked),
                                                            func.sum(counted_in.cost_approved)).where(*trust_row))
    [(cost, approved_cost)] = _read(portfolio, select(func.sum(asked.cost),
                                                      func.sum(asked.cost).filter(asked.status == "approved")))
    assert approved_cost and (Decimal(cost_asked), Decimal(cost_approved)) == (cost, approved_cost)

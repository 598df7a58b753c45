"""Whether the platform is consistent, read directly from the private databases and broker:

- every acknowledged write exists once at its source (none lost, none doubled);
- every outbox is drained;
- every consumer's inbox holds exactly the events of its types that its publishers' outboxes hold
  (less the real events known to fail for good), its queues are empty, and its dead letters are
  exactly the poison the tier injected;
- the projections equal their sources: each directory the people identity has, reporting's CPD
  facts the activities portfolio has, reporting's event log its inbox.

``check(...)`` returns the problems found (empty when consistent) and the counts behind them."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import text

from canopy_kit.bus.connection import open_connection
from canopy_kit.bus.dead_letters import DeadLetters
from canopy_kit.bus.topology import QueueNames
from canopy_kit.service import discover_services
from canopy_kit.settings import Settings
from canopy_kit.testing.faults.load import LoadRecord
from canopy_kit.testing.faults.platform import Platform

DIRECTORY_CONSUMERS = ("observation", "portfolio", "reporting")


@dataclass
class Expected:
    """What the tier injected on purpose, per consumer: poison (ids of messages that are no event
    of any outbox) and real events whose handling fails for good; both belong in the dead queue."""
    poison: dict[str, set[str]] = field(default_factory=dict)
    failing: dict[str, set[str]] = field(default_factory=dict)

    def dead(self, consumer: str) -> set[str]:
        return self.poison.get(consumer, set()) | self.failing.get(consumer, set())


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    lost: int = 0
    doubled: int = 0
    unpublished: int = 0
    unhandled: dict[str, int] = field(default_factory=dict)  # consumer -> events not (yet) handled
    innocent_dead: int = 0
    dead: dict[str, set[str]] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return not self.problems


def _column(platform: Platform, service: str, sql: str) -> list:
    with platform.engine(service).connect() as conn:
        return [row[0] for row in conn.execute(text(sql))]


def _rows(platform: Platform, service: str, sql: str) -> list[tuple]:
    with platform.engine(service).connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def consumed_types() -> dict[str, frozenset[str]]:
    return {name: frozenset(spec.subscriptions().routing_keys) for name, spec in discover_services().items()
            if spec.subscriptions().routing_keys}


def _sources(report: Report, platform: Platform, record: LoadRecord) -> None:
    people = Counter(_column(platform, "identity", "SELECT email FROM people WHERE email LIKE 'load%'"))
    titles = Counter(_column(platform, "portfolio", "SELECT title FROM activities WHERE title LIKE 'Load %'"))
    person_ids = set(_column(platform, "identity", "SELECT id::text FROM people"))
    activity_ids = set(_column(platform, "portfolio", "SELECT id::text FROM activities"))
    for write in record.acknowledged:
        found, count = ((write.id in person_ids, people[write.marker]) if write.kind == "person"
                        else (write.id in activity_ids, titles[write.marker]))
        if not found:
            report.lost += 1
        if count > 1:
            report.doubled += 1
    if report.lost:
        report.problems.append(f"{report.lost} acknowledged writes are missing at their source")
    if report.doubled:
        report.problems.append(f"{report.doubled} acknowledged writes exist more than once")


def _outboxes(report: Report, platform: Platform) -> dict[str, set[str]]:
    """Every service's published events by type; unpublished rows are a problem."""
    published: dict[str, set[str]] = {}
    for service in platform.services:
        rows = _rows(platform, service, "SELECT event_id::text, event_type, published_at IS NOT NULL FROM outbox")
        waiting = sum(1 for *_, done in rows if not done)
        report.unpublished += waiting
        if waiting:
            report.problems.append(f"{service}: {waiting} outbox rows not yet published")
        for event_id, event_type, _ in rows:
            published.setdefault(event_type, set()).add(event_id)
    return published


def _queue_depth(channel, name: str) -> int | None:
    try:
        return channel.queue_declare(name, passive=True).message_count
    except Exception:
        return None


def _consumers(report: Report, platform: Platform, published: dict[str, set[str]], expected: Expected) -> None:
    with open_connection(platform.rabbitmq.url) as connection:
        for consumer, types in consumed_types().items():
            settings = Settings.from_env(consumer, platform.env)
            should = set().union(*(published.get(t, set()) for t in types)) - expected.failing.get(consumer, set())
            done = set(_column(platform, consumer,
                               f"SELECT event_id::text FROM inbox WHERE consumer = '{consumer}' AND status = 'done'"))
            missing, extra = should - done, done - should
            report.unhandled[consumer] = len(missing)
            if missing:
                report.problems.append(f"{consumer}: {len(missing)} events not handled (e.g. {sorted(missing)[:2]})")
            if extra:
                report.problems.append(f"{consumer}: {len(extra)} handled events no outbox holds")
            names = QueueNames(settings.queue_name(consumer))
            for name in (names.main, names.retry):
                depth = _queue_depth(connection.channel(), name)
                if depth:
                    report.problems.append(f"{name}: {depth} messages waiting")
            dead = {letter.event_id for letter in DeadLetters(settings, None).list()}
            report.dead[consumer] = dead
            innocent = dead - expected.dead(consumer)
            report.innocent_dead += len(innocent)
            if innocent:
                report.problems.append(f"{consumer}: {len(innocent)} innocent dead letters (e.g. {sorted(innocent)[:2]})")
            if expected.dead(consumer) - dead:
                report.problems.append(f"{consumer}: {len(expected.dead(consumer) - dead)} poison messages "
                                       "not (yet) dead-lettered")


def _projections(report: Report, platform: Platform, expected: Expected) -> None:
    people = set(_rows(platform, "identity", "SELECT id::text, given_name, family_name, email FROM people"))
    for consumer in DIRECTORY_CONSUMERS:
        projected = set(_rows(platform, consumer, "SELECT person_id::text, given_name, family_name, email FROM dir_people"))
        # a person whose event fails for good is missing from that consumer alone, and knowingly
        expected_missing = expected.failing.get(consumer, set())
        differing = people ^ projected
        if differing and not expected_missing:
            report.problems.append(f"{consumer}: its directory differs from identity's people in {len(differing)} rows")
        elif len(differing) > len(expected_missing):
            report.problems.append(f"{consumer}: its directory differs from identity's people beyond the known failures")
    activities = set(_rows(platform, "portfolio", "SELECT id::text, person_id::text FROM activities"))
    facts = set(_rows(platform, "reporting", "SELECT activity_id::text, person_id::text FROM cpd_activities"))
    if activities != facts:
        report.problems.append(f"reporting: CPD facts differ from portfolio's activities in {len(activities ^ facts)} rows")
    logged = Counter(_column(platform, "reporting", "SELECT event_id::text FROM event_log"))
    done = set(_column(platform, "reporting", "SELECT event_id FROM inbox WHERE status = 'done'"))
    if set(logged) != done or any(count > 1 for count in logged.values()):
        report.problems.append("reporting: its event log is not its inbox, once each")


def check(platform: Platform, record: LoadRecord, expected: Expected) -> Report:
    report = Report()
    _sources(report, platform, record)
    published = _outboxes(report, platform)
    _consumers(report, platform, published, expected)
    if not report.problems:  # the projections are compared once the events are all in
        _projections(report, platform, expected)
    return report

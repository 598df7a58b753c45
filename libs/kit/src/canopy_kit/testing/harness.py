"""The one way a service's tests stand it up: ``ServiceHarness`` and ``StaffDirectory``.

``ServiceHarness(SERVICE, database_url)`` is the service on a migrated database with its app's
test client (every answer checked against its OpenAPI document), tokens it accepts, and its own
inbox, so a test hands it events exactly as its consumer would (``feed``, ``deliver``).

``StaffDirectory(harness)`` is one trust in the service's directory projection, written the way
production writes it: identity-shaped events (``identity.school.added``,
``identity.person.registered``, ...) through the service's inbox and subscriptions. A service's
``tests/conftest.py`` names its cast on top of it (who teaches where, who manages whom); identity,
which is the directory, builds its trusts through its own API instead.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from canopy_contracts import Envelope, new_envelope
from canopy_kit.events.inbox import Delivery, InboxProcessor
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing.directory import TokenMinter
from canopy_kit.testing.helpers import make_settings, prepare_database

START = "2024-09-01"  # when the cast's employments and roles begin, unless a test says otherwise
TRUST_ROLES = ("trust_admin", "trust_leader")


class ServiceHarness:
    """One service on ``database_url``: ``runtime``, ``client``, tokens, and its inbox."""

    def __init__(self, spec: ServiceSpec, database_url: str, *, data_dir: Path | None = None,
                 own_keys: bool = False, minter: TokenMinter | None = None, **settings_changes: Any):
        """``own_keys``: verify tokens with the spec's own key source (identity, which issues them)
        rather than the harness's test key; ``minter``: sign with this one (a benchmark shares its
        key with the server it starts)."""
        self.minter = minter or TokenMinter()
        overrides = {"data_dir": Path(data_dir)} if data_dir is not None else {}
        settings = make_settings(spec.name, database_url=database_url, **overrides, **settings_changes)
        self.runtime = Runtime(spec if own_keys else self.minter.spec_with_keys(spec), settings)
        prepare_database(self.runtime)
        from canopy_kit.web.app import create_service_app  # the web layer only for tests that use it

        self.app = create_service_app(self.runtime, testing=True)
        self.client = self.app.test_client()
        self.registry = self.runtime.registry
        self.inbox = InboxProcessor(spec.name, self.runtime.uow_factory, self.runtime.subscriptions,
                                    self.runtime.registry)
        # Events are stamped a millisecond apart from here, so their order is the order given.
        self.clock = datetime(2025, 11, 1, tzinfo=timezone.utc)

    # -- events in, as the consumer hands them over -------------------------------------------
    def envelope(self, trust_id: str, event_type: str, payload: dict[str, Any], *,
                 occurred_at: datetime | None = None, version: int | None = None) -> Envelope:
        """An event as its producer publishes it: the contract's example with ``payload`` over it."""
        contract = self.registry.get(event_type, version) if version else self.registry.latest(event_type)
        self.clock += timedelta(milliseconds=1)
        return new_envelope(event_type=event_type, version=contract.version, producer=event_type.split(".")[0],
                            trust_id=trust_id, payload={**contract.example, **payload},
                            occurred_at=occurred_at or self.clock)

    def _hand_over(self, envelopes: Iterable[Envelope]) -> list[Delivery]:
        return self.inbox.process([Delivery(body=e.to_json(), message_id=e.event_id) for e in envelopes])

    def deliver(self, envelopes: Iterable[Envelope]) -> list[str]:
        """Hand events to the service's inbox in one batch; each one's outcome (``handled``, ...)."""
        return [d.outcome.value for d in self._hand_over(envelopes)]

    def feed(self, trust_id: str, events: list[tuple[str, dict[str, Any]]]) -> None:
        """``(event_type, payload)`` pairs of one trust, every one of which must be handled."""
        if not events:
            return
        done = self._hand_over([self.envelope(trust_id, event_type, payload) for event_type, payload in events])
        assert {d.outcome.value for d in done} == {"handled"}, [(d.event_type, d.error) for d in done]

    # -- requests -----------------------------------------------------------------------------
    def token(self, person_id: str, trust_id: str, grants: list[dict]) -> dict[str, str]:
        """Headers carrying an access token identity would have issued to this person."""
        return {"Authorization": "Bearer " + self.minter.token(person_id, trust_id, grants)}

    def dispose(self) -> None:
        self.runtime.dispose()


class StaffDirectory:
    """One trust in a service's directory, built from identity-shaped events.

    ``school``, ``person``, ``employ``, ``grant`` and ``manage`` queue events and return the new
    ids; ``publish()`` (or the first ``headers``) hands the queue to the service in one batch: the
    events its queue is bound to, as the broker would deliver them, each of which must be handled.
    """

    def __init__(self, harness: ServiceHarness, slug: str = "oak", *, trust_id: str | None = None):
        self.harness, self.slug = harness, slug
        self.trust_id = trust_id or str(uuid.uuid4())
        self.grants: dict[str, list[dict]] = {}
        self._pending: list[tuple[str, dict[str, Any]]] = [
            ("identity.trust.created", {"trust_id": self.trust_id, "name": f"{slug} trust", "slug": slug})]

    def school(self, name: str, phase: str = "primary", *, school_id: str | None = None) -> str:
        school_id = school_id or str(uuid.uuid4())
        self._pending.append(("identity.school.added", {"school_id": school_id, "name": name, "phase": phase}))
        return school_id

    def person(self, name: str, school: str | None = None, *, role: str | None = None, scope: str | None = None,
               starts_on: str | date = START, ends_on: str | date | None = None, email: str | None = None) -> str:
        """A person, employed at ``school`` if given, holding ``role`` at ``scope`` (a school id)
        or, for the trust's roles or when no scope is given, at the trust."""
        person_id = str(uuid.uuid4())
        self._pending.append(("identity.person.registered", {
            "person_id": person_id, "given_name": name,
            "email": email or f"{name.lower()}.{person_id[:6]}@{self.slug}.example.org"}))
        self.grants[person_id] = []
        if school:
            self.employ(person_id, school, starts_on=starts_on, ends_on=ends_on)
        if role:
            if role in TRUST_ROLES or (scope is None and school is None):
                self.grant(person_id, role, "trust", self.trust_id)
            else:
                self.grant(person_id, role, "school", scope or school)
        return person_id

    def employ(self, person_id: str, school_id: str, *, starts_on: str | date = START,
               ends_on: str | date | None = None, employment_id: str | None = None) -> str:
        employment_id = employment_id or str(uuid.uuid4())
        self._pending.append(("identity.employment.started", {
            "employment_id": employment_id, "person_id": person_id, "school_id": school_id,
            "starts_on": str(starts_on), "ends_on": str(ends_on) if ends_on else None}))
        return employment_id

    def grant(self, person_id: str, role: str, scope_type: str, scope_id: str, *,
              valid_from: str | date = START) -> str:
        grant_id = str(uuid.uuid4())
        self._pending.append(("identity.role.granted", {
            "grant_id": grant_id, "person_id": person_id, "role": role, "scope_type": scope_type,
            "scope_id": scope_id, "valid_from": str(valid_from)}))
        self.grants.setdefault(person_id, []).append({"role": role, "scope": scope_type, "id": scope_id})
        return grant_id

    def manage(self, manager_id: str, person_id: str, school_id: str, *, starts_on: str | date = START) -> str:
        assignment_id = str(uuid.uuid4())
        self._pending.append(("identity.line_manager.assigned", {
            "assignment_id": assignment_id, "person_id": person_id, "manager_id": manager_id,
            "school_id": school_id, "starts_on": str(starts_on)}))
        return assignment_id

    def also(self, event_type: str, payload: dict[str, Any]) -> None:
        """Another event of this trust to hand over with the directory's (a framework, say)."""
        self._pending.append((event_type, payload))

    def publish(self) -> "StaffDirectory":
        bound = set(self.harness.runtime.subscriptions.routing_keys)
        pending, self._pending = [event for event in self._pending if event[0] in bound], []
        if pending:
            self.harness.feed(self.trust_id, pending)
        return self

    def headers(self, person_id: str) -> dict[str, str]:
        self.publish()
        return self.harness.token(person_id, self.trust_id, self.grants.get(person_id, []))

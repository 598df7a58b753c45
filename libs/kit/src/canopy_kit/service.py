"""What a service tells the kit about itself, and what the kit builds from it.

Each service's package exposes one ``ServiceSpec`` and names it in its ``pyproject.toml`` under the
``canopy.services`` entry point; ``make up``, the CLI and the gateway find every installed service
there, so a new service is added in its own folder and nowhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Engine, MetaData
from sqlalchemy.orm import Session

from canopy_contracts import ContractRegistry, default_registry
from canopy_kit.auth.tokens import JwksKeySource, KeySource, TokenVerifier
from canopy_kit.bus.reachability import BrokerProbe
from canopy_kit.db.engine import create_engine_for
from canopy_kit.db.uow import UnitOfWorkFactory
from canopy_kit.events.outbox import OutboxWriter, relay_doorbell
from canopy_kit.events.subscriptions import Subscriptions
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.settings import Settings
from canopy_kit.tenancy import directory_kinds

ENTRY_POINT_GROUP = "canopy.services"


class UnknownEventType(ValueError):
    pass


def unknown_routing_keys(subscriptions: Subscriptions, registry: ContractRegistry) -> list[str]:
    """The keys ``subscriptions`` binds that no contract defines: a queue bound to them gets nothing."""
    return sorted(set(subscriptions.routing_keys) - set(registry.event_types()))


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # also the URL segment: /api/<name>/...
    title: str
    metadata: MetaData
    migrations_dir: Path
    blueprints: Callable[[], list]  # flask-smorest Blueprints, built per app
    # Its settings: ``Settings`` or its own subclass in ``<package>/settings.py``.
    settings_class: type[Settings] = Settings
    subscriptions: Callable[[], Subscriptions] = Subscriptions
    # Optional hooks: keys to verify tokens with (identity uses its own), demo data, extra CLI.
    key_source: Callable[["Runtime"], KeySource] | None = None
    # The permission checks' directory over a session (identity: its own tables); the projection if None.
    directory: Callable[[Session], Any] | None = None
    load_demo: Callable[["Runtime"], dict[str, Any]] | None = None
    commands: Callable[[Any], None] | None = None  # adds argparse sub-commands
    # The kinds of id its requests take beyond the directory's (canopy_kit.web.ids): name -> Kind.
    id_kinds: Callable[[], dict[str, Any]] | None = None
    version: str = "1.0.0"
    api_description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def load_settings(self, environ=None) -> Settings:
        """This service's settings from the environment (or ``environ``), as its own class."""
        return self.settings_class.from_env(self.name, environ)


class Runtime:
    """The long-lived parts of one service process, built from its spec and settings."""

    def __init__(self, spec: ServiceSpec, settings: Settings | None = None, *,
                 registry: ContractRegistry | None = None, engine: Engine | None = None):
        self.spec = spec
        settings = spec.load_settings() if settings is None else spec.settings_class.adopt(settings)
        self.registry = registry or default_registry()
        self.engine = engine or create_engine_for(settings.database_url)
        outbox = OutboxWriter(spec.name, self.registry, doorbell=relay_doorbell(self.engine))
        self.uow_factory = UnitOfWorkFactory(self.engine, outbox)
        self.settings = settings  # and the units of work with it (the setter)

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        # One object for the API and every handler: a unit of work carries the runtime's settings.
        self._settings = self.spec.settings_class.adopt(settings)
        self.uow_factory.settings = self._settings

    @cached_property
    def verifier(self) -> TokenVerifier:
        keys = (self.spec.key_source(self) if self.spec.key_source
                else JwksKeySource(self.settings.jwks_url, cache_seconds=self.settings.jwks_cache_seconds))
        return TokenVerifier(keys, issuer=self.settings.token_issuer, audience=self.settings.token_audience)

    def directory(self, session: Session):
        """``canopy_kit.auth.permissions.Directory`` for this session's work."""
        if self.spec.directory is not None:
            return self.spec.directory(session)
        return ProjectedDirectory.of(session)

    @cached_property
    def subscriptions(self) -> Subscriptions:
        subscriptions = self.spec.subscriptions()
        # A queue bound to a key no producer has a contract for receives nothing, silently: a
        # misspelt key would look like a quiet service. Refuse it when the service starts.
        unknown = unknown_routing_keys(subscriptions, self.registry)
        if unknown:
            raise UnknownEventType(f"{self.spec.name} subscribes to events no contract defines: {', '.join(unknown)}")
        return subscriptions

    @cached_property
    def id_kinds(self) -> dict[str, Any]:
        """Where each kind of id a request may carry is looked up, inside the caller's trust."""
        return {**directory_kinds(), **(self.spec.id_kinds() if self.spec.id_kinds else {})}

    @cached_property
    def broker_probe(self):
        return BrokerProbe(self.settings.bus_url)

    def dispose(self) -> None:
        self.engine.dispose()


def discover_services() -> dict[str, ServiceSpec]:
    """Every installed service, by name, in a stable order."""
    found = {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        spec = entry.load()
        found[spec.name] = spec
    return found


def get_service(name: str) -> ServiceSpec:
    services = discover_services()
    if name not in services:
        raise KeyError(f"no service named {name!r}; installed: {', '.join(services) or 'none'}")
    return services[name]

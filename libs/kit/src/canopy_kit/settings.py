"""One typed settings object per process, read once from the environment.

Every value has an embedded default so that a fresh clone runs with no configuration: SQLite files
and the filesystem bus under one data folder. A value can be set for all services
(``DATABASE_URL``) or for one (``IDENTITY_DATABASE_URL``); ``{service}`` in a shared value is
replaced by the service's name, so one ``DATABASE_URL`` can name a database per service.

``Settings`` holds what every service has. A service's own settings are a frozen dataclass
subclass in its ``settings.py`` (``@dataclass(frozen=True) class PortfolioSettings(Settings):
follow_up_weeks: int = 6``), named in its
``ServiceSpec``: each added field is read from ``<SERVICE>_<FIELD>`` only, converted to its
annotated type, with its one default in the class. The runtime builds it once per process and
hands the same object to the API (``current_settings()``) and to every handler (``uow.settings``).
"""
from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping


class SettingsError(ValueError):
    pass


def _env_prefix(service: str) -> str:
    return service.upper().replace("-", "_") + "_"


@dataclass(frozen=True)
class Settings:
    service: str
    data_dir: Path
    database_url: str
    bus_url: str
    exchange: str = "canopy.events"
    queue_prefix: str = ""
    jwks_url: str = "http://127.0.0.1:8000/api/identity/.well-known/jwks.json"
    jwks_cache_seconds: int = 300
    token_issuer: str = "canopy-identity"
    token_audience: str = "canopy"
    # Consumer: how often a failing handler is retried, and how long to wait between tries.
    consumer_max_attempts: int = 5
    consumer_retry_delay_ms: int = 5000
    consumer_batch_size: int = 100
    consumer_prefetch: int = 200
    # Relay: rows per publish batch, and the slow safety poll behind the NOTIFY wake-up.
    relay_batch_size: int = 500
    relay_poll_seconds: float = 1.0
    relay_confirm_timeout_seconds: float = 10.0
    # /health/ready reports the outbox as degraded when its oldest unpublished row is older than this.
    outbox_stuck_seconds: float = 120.0
    # How many proxies in front of the API set X-Forwarded-For (0: clients connect directly). Only
    # that many hops of the header are believed, so a client cannot name another address.
    trusted_proxy_hops: int = 0
    # Reports and aggregate views blank any figure about fewer people than this.
    min_group_size: int = 5
    log_level: str = "INFO"
    log_json: bool = True
    metrics_port: int | None = None
    # Every raw <SERVICE>_* value, secrets among them: never in a repr, so never in a log line.
    extra: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        prefix = _env_prefix(service)

        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(prefix + name, env.get("CANOPY_" + name, env.get(name)))
            if value is None or value == "":
                return default
            return value.replace("{service}", service.replace("-", "_"))

        def number(name: str, default, kind=int):
            raw = get(name)
            try:
                return default if raw is None else kind(raw)
            except ValueError:
                word = "a whole number" if kind is int else "a number"
                raise SettingsError(f"{name} must be {word}, got {raw!r}") from None

        def get_int(name: str, default: int) -> int:
            return number(name, default, int)

        def get_float(name: str, default: float) -> float:
            return number(name, default, float)

        data_dir = Path(get("DATA_DIR", "var") or "var").resolve()
        database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / (service.replace('-', '_') + '.db')}"
        bus_url = get("BUS_URL") or f"filesystem://{data_dir / 'bus'}"
        metrics_port = get("METRICS_PORT")
        extra = {k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix)}
        return cls(
            service=service,
            data_dir=data_dir,
            database_url=normalise_database_url(database_url),
            bus_url=bus_url,
            exchange=get("EXCHANGE", cls.exchange),
            queue_prefix=get("QUEUE_PREFIX", "") or "",
            jwks_url=get("JWKS_URL", cls.jwks_url),
            jwks_cache_seconds=get_int("JWKS_CACHE_SECONDS", cls.jwks_cache_seconds),
            token_issuer=get("TOKEN_ISSUER", cls.token_issuer),
            token_audience=get("TOKEN_AUDIENCE", cls.token_audience),
            consumer_max_attempts=get_int("CONSUMER_MAX_ATTEMPTS", cls.consumer_max_attempts),
            consumer_retry_delay_ms=get_int("CONSUMER_RETRY_DELAY_MS", cls.consumer_retry_delay_ms),
            consumer_batch_size=get_int("CONSUMER_BATCH_SIZE", cls.consumer_batch_size),
            consumer_prefetch=get_int("CONSUMER_PREFETCH", cls.consumer_prefetch),
            relay_batch_size=get_int("RELAY_BATCH_SIZE", cls.relay_batch_size),
            relay_poll_seconds=get_float("RELAY_POLL_SECONDS", cls.relay_poll_seconds),
            relay_confirm_timeout_seconds=get_float("RELAY_CONFIRM_TIMEOUT_SECONDS", cls.relay_confirm_timeout_seconds),
            outbox_stuck_seconds=get_float("OUTBOX_STUCK_SECONDS", cls.outbox_stuck_seconds),
            trusted_proxy_hops=max(0, get_int("TRUSTED_PROXY_HOPS", cls.trusted_proxy_hops)),
            min_group_size=max(1, get_int("MIN_GROUP_SIZE", cls.min_group_size)),
            log_level=(get("LOG_LEVEL", cls.log_level) or "INFO").upper(),
            log_json=(get("LOG_JSON", "1") or "1") not in ("0", "false", "no"),
            metrics_port=int(metrics_port) if metrics_port else None,
            extra=extra,
            **cls._own_values(service, extra),
        )

    @classmethod
    def adopt(cls, settings: "Settings") -> "Settings":
        """These platform settings as this service's class, its own fields read from their ``extra``."""
        if isinstance(settings, cls):
            return settings
        shared = {f.name: getattr(settings, f.name) for f in fields(Settings)}
        return cls(**shared, **cls._own_values(settings.service, settings.extra))

    @classmethod
    def own_fields(cls) -> list:
        """The fields a service added to the platform's: its own settings."""
        if cls is not Settings and "__dataclass_fields__" not in cls.__dict__:
            # Without the decorator its annotations are no fields: nothing would be read, silently.
            raise TypeError(f"{cls.__name__} must be a @dataclass(frozen=True), like Settings")
        shared = {f.name for f in fields(Settings)}
        return [f for f in fields(cls) if f.name not in shared]

    @classmethod
    def _own_values(cls, service: str, extra: Mapping[str, str]) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        values = {}
        for own in cls.own_fields():
            raw = extra.get(own.name.upper())
            if raw is None or raw == "":
                continue  # the class's default: the one place it is written
            values[own.name] = _convert(_env_prefix(service) + own.name.upper(), raw, hints[own.name],
                                        own.metadata)
        return values

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def bus_transport(self) -> str:
        return self.bus_url.split("://", 1)[0]

    def queue_name(self, consumer: str) -> str:
        return f"{self.queue_prefix}{consumer}.events"


def _convert(name: str, raw: str, kind: Any, metadata: Mapping[str, Any]) -> Any:
    """``raw`` as ``kind`` (int, float, bool, str, Path, or one of them or None), within the
    field's ``metadata`` bounds (``min``, ``max``) and ``choices``, or a ``SettingsError`` naming the variable."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        kind = next(k for k in typing.get_args(kind) if k is not type(None))
    if kind is bool:
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise SettingsError(f"{name} must be true or false, got {raw!r}")
        return raw.lower() in ("1", "true", "yes", "on")
    try:
        value = kind(raw)
    except ValueError:
        word = {int: "a whole number", float: "a number"}.get(kind, f"a {kind.__name__}")
        raise SettingsError(f"{name} must be {word}, got {raw!r}") from None
    if "min" in metadata and value < metadata["min"]:
        raise SettingsError(f"{name} must be at least {metadata['min']}, got {raw!r}")
    if "max" in metadata and value > metadata["max"]:
        raise SettingsError(f"{name} must be at most {metadata['max']}, got {raw!r}")
    if "choices" in metadata and value not in metadata["choices"]:
        raise SettingsError(f"{name} must be one of {', '.join(map(str, metadata['choices']))}, got {raw!r}")
    return value


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for scheme in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url

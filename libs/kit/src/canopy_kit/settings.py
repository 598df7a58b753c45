"""One typed settings object per process, read once from the environment.

Every value has an embedded default so that a fresh clone runs with no configuration: SQLite files
and the filesystem bus under one data folder. A value can be set for all services
(``DATABASE_URL``) or for one (``IDENTITY_DATABASE_URL``); ``{service}`` in a shared value is
replaced by the service's name, so one ``DATABASE_URL`` can name a database per service.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping


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
    extra: Mapping[str, str] = field(default_factory=dict)

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
            extra={k[len(prefix):]: v for k, v in env.items() if k.startswith(prefix)},
        )

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)

    def option(self, name: str, default: str | None = None) -> str | None:
        """A service-specific setting, e.g. ``IDENTITY_ACCESS_TOKEN_MINUTES``."""
        return self.extra.get(name, default)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def bus_transport(self) -> str:
        return self.bus_url.split("://", 1)[0]

    def queue_name(self, consumer: str) -> str:
        return f"{self.queue_prefix}{consumer}.events"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the operator wrote."""
    for scheme in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url

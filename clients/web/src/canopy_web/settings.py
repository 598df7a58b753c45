"""The web client's settings, each read from ``WEB_<FIELD>`` (``WEB_DATABASE_URL`` and the other
platform settings as for a service)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from canopy_kit.settings import Settings, SettingsError


@dataclass(frozen=True)
class WebSettings(Settings):
    # Where the public APIs are, as this client reaches the gateway: "/api/<service>/..." below it.
    api_url: str = "http://127.0.0.1:8000/api"
    # How long one API call may take before the page says the service is unavailable.
    api_timeout_seconds: float = field(default=15.0, metadata={"min": 1, "max": 120})
    # Signs nothing the browser holds but seals the tokens kept in the session store. Set it (or
    # the file) in production; the embedded default keeps a generated one in the data folder.
    secret_key: str | None = field(default=None, repr=False)
    secret_key_file: Path | None = None
    # A session ends after this long without a request, and at the latest after session_hours.
    idle_minutes: int = field(default=120, metadata={"min": 5, "max": 24 * 60})
    session_hours: int = field(default=12, metadata={"min": 1, "max": 24 * 30})
    # The session cookie is Secure when the browser reached us over TLS ("auto"), always ("on"),
    # or never ("off", only for a plain-HTTP run on one machine).
    cookie_secure: str = field(default="auto", metadata={"choices": ("auto", "on", "off")})
    # The largest upload a page accepts (evidence, a staff CSV), checked before it is sent on.
    max_upload_bytes: int = field(default=10 * 1024 * 1024, metadata={"min": 1024})
    # The local address the calls to the gateway leave from (none: the system's choice). The
    # gateway believes the browser's address this client forwards only from the address it knows
    # as this client's: on one machine, a loopback address of its own (canopy up-prod).
    api_source_address: str | None = None

    def sealing_secret(self) -> bytes:
        """The secret that seals tokens: given, read from a file, or made once in the data folder."""
        if self.secret_key:
            return self.secret_key.encode()
        if self.secret_key_file is not None:
            try:
                value = self.secret_key_file.read_text().strip()
            except OSError as exc:
                raise SettingsError(f"WEB_SECRET_KEY_FILE cannot be read: {exc.strerror}") from None
            if len(value) < 32:
                raise SettingsError("WEB_SECRET_KEY_FILE must hold at least 32 characters")
            return value.encode()
        return _generated_secret(self.data_dir / "web-secret")


def _generated_secret(path: Path) -> bytes:
    """A random secret kept in ``path`` (created once, readable by its owner only), so every
    worker of one installation seals and opens the same way, and sessions survive a restart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def load_settings(environ=None) -> WebSettings:
    return WebSettings.from_env("web", environ)

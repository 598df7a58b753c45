"""Identity's own settings, each read from ``IDENTITY_<FIELD>`` (``IDENTITY_SMTP_URL``, ...)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from canopy_kit.settings import Settings


@dataclass(frozen=True)
class IdentitySettings(Settings):
    # Encrypts the private signing keys at rest; unset, they are stored unencrypted. Kept out of
    # the settings' repr, which a log line or a traceback may show.
    key_passphrase: str | None = field(default=None, repr=False)
    # Account mail over SMTP (``smtp://user:password@host:port`` or ``smtps://``), or a file holding
    # that URL (a docker-compose or Kubernetes secret). With neither, mail is written to ``mail_dir``.
    smtp_url: str | None = field(default=None, repr=False)
    smtp_url_file: Path | None = None
    mail_from: str = "Canopy <no-reply@canopy.invalid>"
    mail_dir: Path | None = None  # None: ``<data dir>/mail``
    # The pages account mail links to; None: the address the request came to, at
    # ``/accept-invitation`` and ``/reset-password``.
    invitation_url: str | None = None
    reset_url: str | None = None
    # How long ``rotate-keys`` publishes the next key before signing with it. Every service that
    # verifies fetches identity's key set again on an unknown key at most once per 10 s
    # (``JwksKeySource.refresh_interval``); published this long before it signs, the new key is in
    # every service's key set, or fetchable at once, by the first token it signs.
    key_activation_seconds: int = field(default=30, metadata={"min": 0})
    # How long an access token lives. Shorter for a stricter trust (or a test that waits one out);
    # never longer than 15 minutes: how long a retired key stays published assumes it.
    access_token_seconds: int = field(default=900, metadata={"min": 1, "max": 900})

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(seconds=self.access_token_seconds)

    @property
    def mail_folder(self) -> Path:
        """Where account mail goes when no SMTP server is set."""
        return self.mail_dir or self.data_dir / "mail"

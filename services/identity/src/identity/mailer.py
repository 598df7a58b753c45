"""Sending account emails (invitations, password resets).

With ``IDENTITY_SMTP_URL`` (``smtp://user:password@host:port``, or ``smtps://``) mail goes out over
SMTP; ``IDENTITY_SMTP_URL_FILE`` names a file holding it instead (a docker-compose secret). Without
either, messages are written as ``.eml`` files in ``<data dir>/mail/``: the embedded default needs no
mail server, and an operator (or a test) can open them. Only identity's consumer sends mail, after
the request that asked for it has committed (``identity.event_handlers.account_mail``).
"""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlparse

from identity.settings import IdentitySettings


def _message(to: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


def _read_secret(path: Path | None) -> str | None:
    """The secret in a file (a compose or Kubernetes secret mounted as one), or None if unset or empty."""
    return (path.read_text().strip() or None) if path else None


class Mailer:
    def __init__(self, settings: IdentitySettings):
        self.smtp_url = settings.smtp_url or _read_secret(settings.smtp_url_file)
        self.sender = settings.mail_from
        self.drop_folder = settings.mail_folder

    def send(self, to: str, subject: str, body: str) -> None:
        message = _message(to, subject, body, self.sender)
        if not self.smtp_url:
            self.drop_folder.mkdir(parents=True, exist_ok=True)
            (self.drop_folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
            return
        url = urlparse(self.smtp_url)
        client = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        with client(url.hostname, url.port or (465 if url.scheme == "smtps" else 587), timeout=10) as smtp:
            if url.scheme == "smtp":
                smtp.starttls()
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)

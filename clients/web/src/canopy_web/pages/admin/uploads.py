"""A staff CSV kept between its dry run and its apply, so the person checks a file once and
applies that same file without choosing it again.

It stays in the client's data folder, readable by its owner only, named by a hash of the
signed-in person and a random token (the token alone opens nobody else's file), for at most
``LIFETIME``: it is deleted once applied, and every new upload sweeps the expired ones. It holds
staff's names and emails, so it is never kept longer than the check-then-apply takes. Where the
client runs on several machines without a shared data folder, an apply that reaches another
machine finds nothing and asks for the file again.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app

LIFETIME = timedelta(minutes=30)
FOLDER = "admin-imports"


def _folder() -> Path:
    folder = current_app.extensions["canopy_web"].settings.data_dir / FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(person_id: str, token: str) -> Path:
    return _folder() / (hashlib.sha256(f"{person_id}:{token}".encode()).hexdigest() + ".csv")


def _expired(path: Path) -> bool:
    return path.stat().st_mtime + LIFETIME.total_seconds() < time.time()


def sweep() -> None:
    for path in _folder().glob("*.csv"):
        try:
            if _expired(path):
                path.unlink()
        except FileNotFoundError:
            pass  # another worker swept it first


def keep(person_id: str, data: bytes) -> str:
    """Keep ``data`` for ``person_id``; the token that finds it again."""
    sweep()
    token = secrets.token_urlsafe(24)
    descriptor = os.open(_path(person_id, token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return token


def take(person_id: str, token: str) -> bytes | None:
    """The file kept under ``token`` for this person, or None (never kept, applied, or expired)."""
    if not token or len(token) > 64:
        return None
    path = _path(person_id, token)
    try:
        if _expired(path):
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def drop(person_id: str, token: str) -> None:
    if token and len(token) <= 64:
        _path(person_id, token).unlink(missing_ok=True)

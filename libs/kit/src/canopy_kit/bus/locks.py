"""One active relay per service: a lock that dies with its holder.

PostgreSQL: a session advisory lock held on the relay's LISTEN connection. SQLite: an exclusive
``flock`` on a file beside the database. Either is released by the operating system or the
database when the process dies, so a standby relay takes over without an operator.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path


def advisory_lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

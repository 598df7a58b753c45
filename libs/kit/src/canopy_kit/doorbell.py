"""Wake-ups between the embedded default's processes without polling: named pipes as doorbells.

A process that waits for work (a relay for its outbox, a consumer for its queue) makes a named
pipe of its own in a folder both sides know, ``<topic>.<pid>-<n>.bell``, and blocks reading it; a
process that has just made work for it (committed an outbox row, written a message file) writes a
byte to every bell of that topic. The byte stays in the pipe until it is read, so a ring between
the waiter's last look and its wait is not lost, and an idle waiter costs nothing. In production
PostgreSQL's NOTIFY and RabbitMQ's push do the same.

A bell is an optimisation, never the only way work is found: a waiter still looks on its own now
and then. Where named pipes are unavailable (Windows, some network filesystems) waiting is a
sleep, and the waiter polls as it did before bells.
"""
from __future__ import annotations

import errno
import itertools
import os
import re
import select
import time
import weakref
from pathlib import Path

FALLBACK_POLL_SECONDS = 0.1  # without named pipes: how often a waiter looks
_NUMBERS = itertools.count()
_OWNER = re.compile(r"\d+-\d+")  # the ``<pid>-<n>`` between a bell's topic and ``.bell``
_OPEN: "weakref.WeakSet[Doorbell]" = weakref.WeakSet()  # this process's bells, for wake_this_process


def _remove(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def ring(folder: str | Path, topic: str) -> None:
    """Wake every process waiting on ``topic`` in ``folder``. Never raises: a ring that cannot be
    delivered only means the waiter finds the work at its next look."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    prefix = topic + "."
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".bell") and _OWNER.fullmatch(name[len(prefix):-5])):
            continue
        path = os.path.join(folder, name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # nobody reads it: its process died without removing it
                _remove(path)
            continue
        try:
            os.write(fd, b"\0")
        except OSError:
            pass  # the pipe is full: it has been rung already
        finally:
            os.close(fd)


class Doorbell:
    """This process's bell for ``topic`` in ``folder``."""

    def __init__(self, folder: str | Path, topic: str):
        owner = f"{os.getpid()}-{next(_NUMBERS)}"
        self.path = Path(folder) / f"{topic}.{owner}.bell"
        self._read_fd: int | None = None
        self._write_fd: int | None = None
        if hasattr(os, "mkfifo"):
            self._open(Path(folder) / f".{topic}.{owner}.bell.part")

    def _open(self, partial: Path) -> None:
        # Made under a name no ringer matches and renamed once open for reading: a ringer that
        # found it unread in between would take it for a dead process's bell and remove it.
        try:
            _remove(partial)
            os.mkfifo(partial, 0o600)
            self._read_fd = os.open(partial, os.O_RDONLY | os.O_NONBLOCK)
            # Our own writer: with no writer at all a pipe reads as closed, always "ready".
            self._write_fd = os.open(partial, os.O_WRONLY | os.O_NONBLOCK)
            os.replace(partial, self.path)
            _OPEN.add(self)
        except OSError:
            self.close()
            _remove(partial)

    @property
    def works(self) -> bool:
        return self._read_fd is not None

    def fileno(self) -> int:
        assert self._read_fd is not None
        return self._read_fd

    def clear(self) -> None:
        while True:
            try:
                if not os.read(self.fileno(), 4096):
                    return
            except BlockingIOError:
                return

    def wait(self, timeout: float) -> bool:
        """Block until rung or for ``timeout`` seconds; True if rung. Without a working bell, sleep
        at most ``FALLBACK_POLL_SECONDS`` (the caller looks again either way)."""
        return wait_any([self], timeout)

    def ring_self(self) -> None:
        if self._write_fd is not None:
            try:
                os.write(self._write_fd, b"\0")
            except OSError:
                pass  # full: rung already

    def close(self) -> None:
        _OPEN.discard(self)
        for fd in (self._read_fd, self._write_fd):
            if fd is not None:
                os.close(fd)
        if self._read_fd is not None:
            _remove(self.path)
        self._read_fd = self._write_fd = None


def wake_this_process() -> None:
    """Ring every bell this process waits on, so that its waiters look at their stop flags now
    (from a signal handler: it only writes to pipes)."""
    for bell in list(_OPEN):
        bell.ring_self()


def wait_any(bells: list[Doorbell], timeout: float) -> bool:
    """Block until one of ``bells`` is rung or for ``timeout`` seconds; True if rung (every ring so
    far is then cleared)."""
    working = [bell for bell in bells if bell.works]
    if not working:
        time.sleep(max(0.0, min(timeout, FALLBACK_POLL_SECONDS)))
        return False
    ready, _, _ = select.select(working, [], [], max(0.0, timeout))
    for bell in ready:
        bell.clear()
    return bool(ready)

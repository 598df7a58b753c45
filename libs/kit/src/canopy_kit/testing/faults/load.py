"""A steady, bounded write load through the gateway, as a careful client sends it: every write
has its own ``Idempotency-Key`` and is retried with it (after ``Retry-After``) until it is
acknowledged or its time runs out. Each kind of write produces events for some consumer:

- a person added with an invitation: ``identity.person.registered`` (observation's, portfolio's
  and reporting's directories) and ``identity.account_mail.requested`` (identity's own consumer);
- a CPD activity the admin records: ``portfolio.cpd.recorded`` (reporting).

Every answer is counted by status, so a 500 or a 503 without ``Retry-After`` cannot hide."""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from canopy_kit.testing.http import http

RATE_PER_SECOND = 12
IN_FLIGHT = 8  # writes waiting on an answer at once; a tick finding all of them busy is skipped
WRITE_DEADLINE_SECONDS = 90  # how long one write is retried before the client gives up on it
RETRY_PAUSE_CEILING_SECONDS = 1.0


@dataclass
class Acknowledged:
    kind: str  # "person" or "activity"
    id: str
    marker: str  # the email or title that names this one write


@dataclass
class LoadRecord:
    acknowledged: list[Acknowledged] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)  # markers of writes never acknowledged
    refused: list[tuple[int, str]] = field(default_factory=list)  # answers retrying cannot change
    reauthenticated: list[str] = field(default_factory=list)  # 401s the client signed in again after
    statuses: Counter = field(default_factory=Counter)
    unavailable_without_retry_after: int = 0
    skipped_ticks: int = 0
    busy_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ids(self, kind: str) -> set[str]:
        return {a.id for a in self.acknowledged if a.kind == kind}

    def server_errors(self) -> dict[int, int]:
        return {status: count for status, count in self.statuses.items() if status >= 500}


class WriteLoad:
    def __init__(self, gateway: str, auth, admin_id: str, unique: str, *, rate: float = RATE_PER_SECOND):
        self.gateway = gateway
        self.auth = auth  # () -> headers; auth(fresh=True) signs in again
        self.admin_id = admin_id
        self.unique = unique
        self.rate = rate
        self.record = LoadRecord()
        self._sequence = 0

    def _request(self, kind: str, number: int) -> tuple[str, dict, str]:
        if kind == "person":
            email = f"load{number}-{self.unique}@example.org"
            return "/api/identity/v1/people", {"given_name": "Load", "family_name": f"Person {number}",
                                               "email": email, "invite": True}, email
        title = f"Load {self.unique} activity {number}"
        return (f"/api/portfolio/v1/people/{self.admin_id}/activities",
                {"title": title, "activity_type": "course", "delivery": "external", "starts_on": "2026-10-01",
                 "ends_on": "2026-10-01", "hours": 1.5}, title)

    def write(self, kind: str, number: int) -> None:
        path, body, marker = self._request(kind, number)
        key = str(uuid.uuid4())
        deadline = time.monotonic() + WRITE_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            try:
                reply = http("POST", self.gateway + path, body,
                             headers={**self.auth(), "Idempotency-Key": key}, timeout=35)
            except OSError:  # the connection itself failed: try again with the same key
                with self.record.lock:
                    self.record.statuses[0] += 1
                time.sleep(0.5)
                continue
            with self.record.lock:
                self.record.statuses[reply.status] += 1
                if reply.status == 503 and not reply.header("Retry-After"):
                    self.record.unavailable_without_retry_after += 1
            if reply.status == 201:
                with self.record.lock:
                    self.record.acknowledged.append(Acknowledged(kind, reply.json()["id"], marker))
                return
            if reply.status == 401:
                with self.record.lock:
                    self.record.reauthenticated.append(reply.body[:300].decode(errors="replace"))
                self.auth(fresh=True)
                continue
            if reply.status not in (429, 502, 503, 504):
                with self.record.lock:  # the load's writes are valid: any other answer is a finding
                    self.record.refused.append((reply.status, reply.body[:300].decode(errors="replace")))
                break
            pause = reply.header("Retry-After")
            time.sleep(min(float(pause) if pause and pause.isdigit() else 0.5, RETRY_PAUSE_CEILING_SECONDS))
        with self.record.lock:
            self.record.abandoned.append(marker)

    @contextmanager
    def running(self, *, max_writes: int = 2000):
        """Writes at ``rate`` per second while the block runs (at most ``max_writes``), then waits
        for those in flight."""
        stop = threading.Event()
        slots = threading.BoundedSemaphore(IN_FLIGHT)
        pool = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="load")

        def one(kind: str, number: int) -> None:
            try:
                self.write(kind, number)
            finally:
                slots.release()

        def tick() -> None:
            started = time.monotonic()
            for count in range(max_writes):
                if stop.wait(max(0.0, started + count / self.rate - time.monotonic())):
                    break
                if not slots.acquire(blocking=False):
                    self.record.skipped_ticks += 1
                    continue
                self._sequence += 1
                pool.submit(one, "activity" if self._sequence % 3 == 0 else "person", self._sequence)

        started = time.monotonic()
        ticker = threading.Thread(target=tick, name="load-ticker", daemon=True)
        ticker.start()
        try:
            yield self.record
        finally:
            stop.set()
            ticker.join()
            pool.shutdown(wait=True)
            self.record.busy_seconds += time.monotonic() - started

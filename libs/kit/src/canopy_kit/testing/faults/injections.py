"""How the tier hurts the platform on purpose: processes paused, killed, or caught inside their
transactions (a lock held in the database until the victim waits on it), gunicorn's workers, and
poison published straight into a consumer's queue."""
from __future__ import annotations

import json
import os
import signal
import uuid
from contextlib import contextmanager
from pathlib import Path

from kombu import Exchange
from sqlalchemy import text
from sqlalchemy.engine import Engine

from canopy_kit.bus.connection import open_connection
from canopy_kit.bus.messages import ATTEMPTS_HEADER
from canopy_kit.bus.publisher import BatchPublisher, OutgoingMessage
from canopy_kit.testing.http import wait_for


@contextmanager
def paused(pid: int):
    """SIGSTOP for the block, SIGCONT after: work piles up for the process meanwhile."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@contextmanager
def lock_held(engine: Engine, statement: str):
    """A transaction of the tier's own holding the locks ``statement`` takes, for the block."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn.execute(text(statement))
        finally:
            transaction.rollback()


def wait_until_blocked(engine: Engine, query_starts: str, timeout: float = 30) -> int:
    """Wait until a session of this database waits on a lock in a statement that starts so; the
    number of such sessions. The process behind it is then inside its transaction."""
    def blocked():
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE :starts"), {"starts": query_starts + "%"}).scalar()
    return wait_for(blocked, timeout=timeout, what=f"a session blocked in {query_starts!r}", interval=0.1)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers under its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- poison ----------------------------------------------------------------------------------------
def poison_kinds(real_envelope: str) -> dict[str, tuple[bytes, dict]]:
    """Every kind of message a consumer cannot take as an event: ``{kind: (body, headers)}``.
    ``real_envelope`` (a published event) is the model for the ones that look almost right."""
    unknown_version = json.loads(real_envelope)
    unknown_version.update(event_id=str(uuid.uuid4()), version=99)
    no_payload = json.loads(real_envelope)
    no_payload.update(event_id=str(uuid.uuid4()))
    no_payload.pop("payload")
    depth = 200_000
    return {
        "bytes that are not text": (b"\xff\xfe\x00\x9c not even utf-8 \xc3\x28", {}),
        "text that is not JSON": (b"<xml>hello</xml>", {}),
        "JSON nested too deep": (b"[" * depth + b"]" * depth, {}),
        "JSON that is no envelope": (b'{"hello": "world"}', {}),
        "an envelope without its payload": (json.dumps(no_payload).encode(), {}),
        "an unknown version": (json.dumps(unknown_version).encode(), {}),
        "an attempts header that is not a number": (b'{"also": "no envelope"}', {ATTEMPTS_HEADER: "many"}),
        "an attempts header out of range": (b"[1, 2", {ATTEMPTS_HEADER: "1e400", "x-other": {"nested": [1, None]}}),
    }


def publish_poison(bus_url: str, queue: str, kinds: dict[str, tuple[bytes, dict]]) -> dict[str, str]:
    """Publish each poison straight into ``queue`` (confirmed); ``{message id: kind}``."""
    published = {}
    with open_connection(bus_url) as connection:
        publisher = BatchPublisher(connection, Exchange(""))
        messages = []
        for kind, (body, headers) in kinds.items():
            message_id = str(uuid.uuid4())
            published[message_id] = kind
            messages.append(OutgoingMessage(message_id, queue, body, headers))
        publisher.publish(messages)
    return published


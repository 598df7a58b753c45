"""kombu's filesystem transport with atomic message files and a reader that scales with the backlog.

Writing: kombu creates a message file empty and then writes into it; a reader in another process
can list the file in between, take it and find it empty or half written, and the message is lost.
Here a message is written to a hidden temporary name that no queue matches and renamed into place
when complete (a rename is atomic), so a reader only ever sees whole messages.

Reading: kombu lists and sorts the whole folder (every queue's messages) for each message it takes,
so a backlog of n messages costs n² (20,000 demo events took minutes per thousand). Here a channel
lists the folder once, keeps its queue's file names in order and takes them one by one, listing
again only when they run out. A message is claimed by renaming it to a hidden name in the same
folder (atomic, so two readers never get the same file), then read and removed.

Waiting: kombu looks at the folder every ``polling_interval`` whether or not anything came. Here a
writer rings the queue's doorbells (``canopy_kit.doorbell``, in the control folder) after each
message, and a waiting reader blocks on its bells until rung or its timeout ends: an idle consumer
costs nothing and a message is taken as soon as it is written.
"""
from __future__ import annotations

import itertools
import os
import socket
import uuid
from collections import deque
from queue import Empty
from time import monotonic, monotonic_ns, sleep

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

from canopy_kit.doorbell import Doorbell, ring, wait_any

# How long a reader waits on its bells before looking at the folder unasked (a ring is never the
# only way a message is found).
SAFETY_LOOK_SECONDS = 5.0

_SEQUENCE = itertools.count()


class AtomicChannel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._listed: dict[str, deque[str]] = {}  # queue -> its message files, oldest first

    def _put(self, queue, payload, **kwargs):
        # Names sort in the order they were written: the machine's monotonic clock (shared by every
        # process) in nanoseconds, then this process's own sequence for two writes in one tick.
        name = f"{monotonic_ns():020d}_{next(_SEQUENCE):09d}_{uuid.uuid4().hex}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc
        ring(self.control_folder, queue)

    def _list(self, queue) -> deque[str]:
        wanted = f"{queue}.msg"
        names = sorted(name for name in os.listdir(self.data_folder_in) if name.partition(".")[2] == wanted)
        return deque(names)

    def _get(self, queue):
        for attempt in range(2):  # what was listed before, then a fresh listing
            names = self._listed.get(queue) if attempt == 0 else None
            if not names:
                names = self._listed[queue] = self._list(queue)
            while names:
                name = names.popleft()
                payload = self._claim(name)
                if payload is not None:
                    return loads(bytes_to_str(payload))
        raise Empty()

    def _claim(self, name: str) -> bytes | None:
        source = os.path.join(self.data_folder_in, name)
        claimed = os.path.join(self.data_folder_in, f".{name}.{os.getpid()}.claimed")
        try:
            os.rename(source, claimed)
        except OSError:
            return None  # another reader took it (or a purge removed it)
        try:
            with open(claimed, "rb") as handle:
                return handle.read()
        finally:
            os.remove(claimed)

    def _purge(self, queue):
        self._listed.pop(queue, None)
        return super()._purge(queue)


class AtomicFilesystemTransport(filesystem.Transport):
    Channel = AtomicChannel

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bells: dict[str, Doorbell] = {}  # queue -> this connection's bell for it

    def _bells_of_consumed_queues(self) -> list[Doorbell]:
        for channel in self.channels:
            for queue in channel._active_queues:
                if queue not in self._bells:
                    self._bells[queue] = Doorbell(channel.control_folder, queue)
        return list(self._bells.values())

    def drain_events(self, connection, timeout=None):
        """kombu's loop, with a wait on the consumed queues' bells where it would sleep."""
        started, rung = monotonic(), False
        while True:
            bells = self._bells_of_consumed_queues()  # made before looking, so no message goes unheard
            try:
                self.cycle.get(self._deliver, timeout=timeout)
                return
            except Empty:
                remaining = None if timeout is None else timeout - (monotonic() - started)
                if rung or (remaining is not None and remaining <= 0):
                    # Rung for nothing (another reader took it, or the process is stopping): the
                    # caller gets its turn now, as at the end of its timeout.
                    raise socket.timeout() from None
                if bells:
                    rung = wait_any(bells, SAFETY_LOOK_SECONDS if remaining is None
                                    else min(remaining, SAFETY_LOOK_SECONDS))
                else:
                    sleep(self.polling_interval or 0)

    def close_connection(self, connection):
        for bell in self._bells.values():
            bell.close()
        self._bells.clear()
        super().close_connection(connection)

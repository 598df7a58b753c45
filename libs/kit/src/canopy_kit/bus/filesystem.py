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
"""
from __future__ import annotations

import itertools
import os
import uuid
from collections import deque
from queue import Empty
from time import monotonic_ns

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


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

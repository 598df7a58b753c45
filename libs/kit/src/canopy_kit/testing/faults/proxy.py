"""A TCP proxy between one service's processes and the broker, which the tier can freeze.

Frozen, it stops reading what the clients send (their acks wait in the socket) while the broker's
deliveries still reach them: a consumer goes on handling and committing, and the broker never
hears that it did. ``sever`` then closes every connection without passing on what was held, as if
the consumer had died before its acks left the machine: the broker delivers those messages again.
That is the moment between a consumer's commit and its ack, caught on purpose.
"""
from __future__ import annotations

import select
import socket
import threading

CHUNK = 64 * 1024


class FreezableProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._frozen = threading.Event()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    def url(self, broker_url: str) -> str:
        """``broker_url`` with this proxy's address in place of the broker's."""
        scheme, rest = broker_url.split("://", 1)
        credentials, _, location = rest.rpartition("@")
        path = location.split("/", 1)[1] if "/" in location else ""
        return f"{scheme}://{credentials + '@' if credentials else ''}127.0.0.1:{self.port}/{path}"

    def freeze(self) -> None:
        """Hold what clients send; what the broker sends still flows."""
        self._frozen.set()

    def thaw(self) -> None:
        self._frozen.clear()

    def sever(self) -> int:
        """Close every connection, dropping what was held; how many were closed."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for client, upstream in pairs:
            for end in (client, upstream):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()
        return len(pairs)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self.sever()

    # -- forwarding ----------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True, name="proxy-pair").start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        other = {client: upstream, upstream: client}
        try:
            while not self._stop.is_set():
                # Frozen, the client's side is not read: what it sends is held in the socket.
                watched = [upstream] if self._frozen.is_set() else [client, upstream]
                readable, _, _ = select.select(watched, [], [], 0.05)
                for source in readable:
                    if source is client and self._frozen.is_set():
                        continue  # frozen while it waited: not a byte more from the client
                    data = source.recv(CHUNK)
                    if not data:
                        return
                    other[source].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            with self._lock:
                if (client, upstream) in self._pairs:
                    self._pairs.remove((client, upstream))
            for end in (client, upstream):
                end.close()

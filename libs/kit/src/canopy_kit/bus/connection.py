"""One place that turns ``BUS_URL`` into a kombu connection and the exchange."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from kombu import Connection, Exchange


def transport_of(bus_url: str) -> str:
    scheme = bus_url.split("://", 1)[0]
    return "amqp" if scheme in ("amqp", "pyamqp", "amqps") else scheme


def filesystem_folder(bus_url: str) -> Path:
    """``filesystem:///var/bus`` -> /var/bus (kombu ignores the path; we do not)."""
    path = urlparse(bus_url).path or "var/bus"
    return Path(path)


def open_connection(bus_url: str, *, heartbeat: int = 30) -> Connection:
    transport = transport_of(bus_url)
    if transport == "filesystem":
        folder = filesystem_folder(bus_url)
        for sub in ("queues", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        from canopy_kit.bus.filesystem import AtomicFilesystemTransport

        return Connection(
            # A host name, although the folder is all that counts: without one kombu warns at every
            # connection that it is "reverting to default 'localhost'".
            hostname="localhost",
            transport=AtomicFilesystemTransport,
            transport_options={
                "data_folder_in": str(folder / "queues"),
                "data_folder_out": str(folder / "queues"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
                # Only where doorbells cannot be made (canopy_kit.bus.filesystem); kombu's default of
                # one second would put a second on every hop.
                "polling_interval": 0.05,
            },
        )
    if transport == "amqp":
        return Connection(bus_url, heartbeat=heartbeat, connect_timeout=5)
    return Connection(bus_url, transport_options={"polling_interval": 0.01})


def events_exchange(name: str) -> Exchange:
    return Exchange(name, type="topic", durable=True)


def dead_letter_exchange(name: str) -> Exchange:
    return Exchange(f"{name}.dlx", type="direct", durable=True)

"""The broker topology, declared by the processes that need it (idempotently).

- One durable topic exchange for every domain event; routing key = event type.
- Per consuming service: ``<service>.events`` bound to exactly the keys it handles.
- On RabbitMQ also: ``<service>.events.retry`` where a failed message waits (per-message TTL)
  before it is dead-lettered back to the main queue through the default exchange, and
  ``<service>.events.dead`` behind a direct dead-letter exchange. All three are quorum queues.
- The filesystem and memory transports have no dead-lettering or TTL: the consumer keeps retries
  and dead letters in its inbox table there instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kombu import Connection, Queue, binding

from canopy_kit.bus.connection import dead_letter_exchange, events_exchange, transport_of


@dataclass(frozen=True)
class QueueNames:
    main: str

    @property
    def retry(self) -> str:
        return self.main + ".retry"

    @property
    def dead(self) -> str:
        return self.main + ".dead"


def consumer_queues(
    *, bus_url: str, exchange_name: str, queue_name: str, routing_keys: Iterable[str]
) -> tuple[Queue, list[Queue]]:
    """The main queue, and the auxiliary queues it needs on this transport."""
    exchange = events_exchange(exchange_name)
    names = QueueNames(queue_name)
    bindings = [binding(exchange, routing_key=key) for key in sorted(set(routing_keys))]
    if transport_of(bus_url) != "amqp":
        return Queue(names.main, bindings=bindings, durable=True), []
    dlx = dead_letter_exchange(exchange_name)
    main = Queue(
        names.main,
        bindings=bindings,
        durable=True,
        queue_arguments={
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": dlx.name,
            "x-dead-letter-routing-key": names.dead,
        },
    )
    retry = Queue(
        names.retry,
        exchange=None,
        durable=True,
        no_declare=False,
        queue_arguments={
            "x-queue-type": "quorum",
            # An expired message goes back to the main queue only, through the default exchange:
            # re-publishing to the topic exchange would deliver it to every other consumer too.
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": names.main,
        },
    )
    dead = Queue(names.dead, exchange=dlx, routing_key=names.dead, durable=True,
                 queue_arguments={"x-queue-type": "quorum"})
    return main, [retry, dead]


def declare_exchange(connection: Connection, exchange_name: str) -> None:
    channel = connection.default_channel
    events_exchange(exchange_name)(channel).declare()
    if transport_of(connection.as_uri()) == "amqp":
        dead_letter_exchange(exchange_name)(channel).declare()


def declare_consumer_topology(
    connection: Connection, *, exchange_name: str, queue_name: str, routing_keys: Iterable[str]
) -> Queue:
    declare_exchange(connection, exchange_name)
    main, auxiliary = consumer_queues(
        bus_url=connection.as_uri(), exchange_name=exchange_name, queue_name=queue_name, routing_keys=routing_keys
    )
    channel = connection.default_channel
    for queue in [*auxiliary, main]:
        queue(channel).declare()
    return main

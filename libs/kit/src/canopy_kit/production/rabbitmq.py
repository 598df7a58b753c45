"""RabbitMQ definitions for the installed services, for a broker that is managed rather than left
to the processes: the exchanges, each consuming service's quorum queues and bindings, and the
policies. Built from the same functions the processes declare with, so the two cannot disagree
(a queue declared with other arguments than it exists with is refused by RabbitMQ).

Import with the management API (``POST /api/definitions``), ``rabbitmqadmin import`` or the
cluster operator; ``deploy/rabbitmq/definitions.json`` is the rendering for the default names.
"""
from __future__ import annotations

from typing import Mapping

from kombu import Exchange, Queue

from canopy_kit.bus.connection import dead_letter_exchange, events_exchange
from canopy_kit.bus.topology import consumer_queues

# A quorum queue counts redeliveries itself: a message whose handling kills the consumer process
# (so the kit never gets to count the attempt) is dead-lettered after this many deliveries.
DELIVERY_LIMIT = 20
# Dead letters wait for an operator; past this size the broker refuses more rather than dropping
# the oldest, so a failing consumer holds its messages (unacked, redelivered) instead of losing them.
DEAD_LETTER_MAX_BYTES = 1024 * 1024 * 1024


def _exchange(exchange: Exchange, vhost: str) -> dict:
    return {"name": exchange.name, "vhost": vhost, "type": exchange.type, "durable": True,
            "auto_delete": False, "internal": False, "arguments": {}}


def _queue(queue: Queue, vhost: str) -> dict:
    return {"name": queue.name, "vhost": vhost, "durable": True, "auto_delete": False,
            "arguments": dict(queue.queue_arguments or {})}


def _binding(source: str, queue: str, routing_key: str, vhost: str) -> dict:
    return {"source": source, "vhost": vhost, "destination": queue, "destination_type": "queue",
            "routing_key": routing_key, "arguments": {}}


# Dead-lettering by the broker (a retry's delay over, back to its queue; the delivery limit reached,
# to the dead letters) is at most once by default: a message in flight is lost if the node fails.
# Quorum queues keep it until the target queue has confirmed it (RabbitMQ 3.10+); that needs the
# source to refuse publishes when full rather than drop its head, which is what we want anyway.
AT_LEAST_ONCE = {"dead-letter-strategy": "at-least-once", "overflow": "reject-publish"}


def policies(queue_prefix: str, vhost: str) -> list[dict]:
    """The policies for the queues of ``queue_prefix``; named after it too, since a policy's name is
    the vhost's: platforms with different prefixes on one broker keep their own."""
    prefix = queue_prefix.replace(".", "\\.")
    own = [
        {"vhost": vhost, "name": "canopy-events-delivery-limit", "pattern": f"^{prefix}[a-z0-9_-]+\\.events$",
         "apply-to": "queues", "priority": 1, "definition": {"delivery-limit": DELIVERY_LIMIT, **AT_LEAST_ONCE}},
        {"vhost": vhost, "name": "canopy-retries-at-least-once", "pattern": f"^{prefix}[a-z0-9_-]+\\.events\\.retry$",
         "apply-to": "queues", "priority": 1, "definition": dict(AT_LEAST_ONCE)},
        {"vhost": vhost, "name": "canopy-dead-letters-bounded", "pattern": f"^{prefix}[a-z0-9_-]+\\.events\\.dead$",
         "apply-to": "queues", "priority": 1,
         "definition": {"max-length-bytes": DEAD_LETTER_MAX_BYTES, "overflow": "reject-publish"}},
    ]
    return [{**policy, "name": queue_prefix + policy["name"]} for policy in own]


def render_definitions(routing_keys: Mapping[str, tuple[str, ...]], *, exchange_name: str = "canopy.events",
                       queue_prefix: str = "", vhost: str = "/") -> dict:
    """Definitions for consuming services given as ``{service: routing keys}``; services that
    consume nothing get no queues."""
    events, dlx = events_exchange(exchange_name), dead_letter_exchange(exchange_name)
    queues, bindings = [], []
    for service, keys in sorted(routing_keys.items()):
        if not keys:
            continue
        main, auxiliary = consumer_queues(bus_url="amqp://", exchange_name=exchange_name,
                                          queue_name=f"{queue_prefix}{service}.events", routing_keys=keys)
        queues += [_queue(queue, vhost) for queue in (main, *auxiliary)]
        # kombu keeps a queue's bindings in a set: sorted, so that the rendering is the same every time.
        bindings += [_binding(events.name, main.name, key, vhost)
                     for key in sorted(item.routing_key for item in main.bindings)]
        bindings += [_binding(dlx.name, queue.name, queue.routing_key, vhost)
                     for queue in auxiliary if queue.exchange is not None and queue.exchange.name == dlx.name]
    return {
        "vhosts": [{"name": vhost}],
        "exchanges": [_exchange(events, vhost), _exchange(dlx, vhost)],
        "queues": queues,
        "bindings": bindings,
        "policies": policies(queue_prefix, vhost),
    }


def service_routing_keys(services: Mapping) -> dict[str, tuple[str, ...]]:
    """``{service: the event types it consumes}`` for installed service specs."""
    return {name: spec.subscriptions().routing_keys for name, spec in services.items()}

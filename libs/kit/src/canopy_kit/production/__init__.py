"""The production topology: every service's api (gunicorn), relay and consumer as processes on
PostgreSQL and RabbitMQ, and the web client as one more, behind an nginx gateway.

- ``gateway``: renders nginx.conf for the installed services (the local run and ``deploy/nginx``).
- ``rabbitmq``: RabbitMQ definitions (exchanges, quorum queues, bindings, policies) for them.
- ``topology``: which processes run, on which ports.
- ``web``: the web client, found through its ``canopy.clients`` entry points.
- ``launcher`` and ``supervisor``: ``canopy up-prod``, the whole topology on this machine.
- ``commands``: the command lines for all of it.
"""

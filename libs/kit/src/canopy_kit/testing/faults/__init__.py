"""The fault tier's machinery (``tests/faults``): a PostgreSQL cluster and a RabbitMQ node of its
own that it may stop and kill, the production topology on them, a steady write load through the
gateway, poison messages, and the checks that nothing was lost, doubled, stuck or leaked."""

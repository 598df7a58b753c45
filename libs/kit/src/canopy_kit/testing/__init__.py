"""Test helpers every service uses: throwaway databases and bus names, captured events, and
"run this consumer until the queue is idle". The pytest fixtures live in ``plugin``."""
from canopy_kit.testing.helpers import (
    consume_until_idle,
    declare_queue,
    handle_own_events,
    make_settings,
    outbox_events,
    prepare_database,
    relay_all,
    wait_until,
)

__all__ = ["consume_until_idle", "declare_queue", "handle_own_events", "make_settings", "outbox_events", "prepare_database", "relay_all", "wait_until"]

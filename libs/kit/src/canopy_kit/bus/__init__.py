"""The event bus over kombu: topology, confirmed publishing, the relay and the inbox consumer."""

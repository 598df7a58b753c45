"""Writing events: the transactional outbox."""

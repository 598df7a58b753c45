"""Event handlers: each turns a batch of one type of event into fact changes and rollup updates,
in the consumer's transaction."""

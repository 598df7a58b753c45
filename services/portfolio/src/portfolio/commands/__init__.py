"""Portfolio's commands: each writes through the unit of work it is given, events included; the
caller commits."""

"""Portfolio's commands: each makes one change and records its events in the unit of work it is
given; the caller (a request, the demo) commits. The API and the demo call the same functions."""

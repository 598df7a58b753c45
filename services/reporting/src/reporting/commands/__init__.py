"""Reporting's commands: it takes no writes from requests, only the operator's rebuilds of its read
models (``canopy reporting replay`` and ``rebuild``), each in the caller's unit of work."""

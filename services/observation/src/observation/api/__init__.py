"""Observation's HTTP API: thin blueprints that parse, check permissions, call a handler, respond."""


def blueprints() -> list:
    from observation.api import coaching, frameworks, records, templates

    return [frameworks.blueprint(), templates.blueprint(), records.blueprint(), coaching.blueprint()]

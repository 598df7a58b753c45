"""Observation's HTTP API: thin blueprints that parse, build the caller's access, read through
``observation.queries`` or change through ``observation.commands``, and respond."""


def blueprints() -> list:
    from observation.api import coaching, frameworks, records, templates

    return [frameworks.blueprint(), templates.blueprint(), records.blueprint(), coaching.blueprint()]

"""Portfolio's HTTP API: thin blueprints that parse, check permissions, call a handler, respond."""


def blueprints() -> list:
    from portfolio.api import activities, evaluations, evidence, export, programme, requests

    return [activities.blueprint(), evidence.blueprint(), evaluations.blueprint(), requests.blueprint(),
            programme.blueprint(), export.blueprint()]

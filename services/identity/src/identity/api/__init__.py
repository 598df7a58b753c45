"""Identity's HTTP API: thin blueprints that parse, call a handler, and respond."""


def blueprints() -> list:
    from identity.api import auth, directory, me

    return [auth.blueprint(), auth.keys_blueprint(), me.blueprint(), directory.blueprint()]

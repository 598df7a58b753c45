"""Identity's HTTP API: thin blueprints that parse, check permissions (``identity.access``), read
(``identity.queries``) or call a command (``identity.commands``), and respond."""


def blueprints() -> list:
    from identity.api import audit, auth, imports, me, people, roles, staffing, structure

    return [auth.blueprint(), auth.keys_blueprint(), me.blueprint(), structure.blueprint(), people.blueprint(),
            staffing.blueprint(), roles.blueprint(), imports.blueprint(), audit.blueprint()]

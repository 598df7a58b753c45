"""Identity as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.auth.tokens import StaticKeySource
from canopy_kit.service import Runtime, ServiceSpec
from identity.api import blueprints
from identity.api.imports import MAX_IMPORT_BYTES
from identity.db import metadata
from identity.directory import IdentityDirectory, id_kinds
from identity.events import subscriptions


def _own_keys(runtime: Runtime) -> StaticKeySource:
    """Identity verifies its own tokens from its database rather than over HTTP."""
    from identity import keys
    from identity.api.auth import VERIFY_WINDOW

    def load():
        with runtime.uow_factory() as uow:
            return keys.public_keys(uow.session, VERIFY_WINDOW)

    return StaticKeySource(loader=load)


def _load_demo(runtime: Runtime) -> dict:
    from identity.demo import load_demo

    return load_demo(runtime)


def _commands(subparsers) -> None:
    from identity.cli import add_commands

    add_commands(subparsers)


SERVICE = ServiceSpec(
    name="identity",
    title="Canopy identity",
    metadata=metadata,
    migrations_dir=Path(__file__).resolve().parents[2] / "migrations",
    blueprints=blueprints,
    subscriptions=subscriptions,
    key_source=_own_keys,
    directory=IdentityDirectory,
    id_kinds=id_kinds,
    load_demo=_load_demo,
    commands=_commands,
    extra={"max_body_bytes": MAX_IMPORT_BYTES},  # a trust's staff CSV: the gateway lets it through
    api_description="Trusts, schools and people; sign-in, tokens and the keys that verify them.",
)

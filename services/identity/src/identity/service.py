"""Identity as the kit sees it: found through the ``canopy.services`` entry point."""
from __future__ import annotations

from pathlib import Path

from canopy_kit.auth.tokens import StaticKeySource
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.tenancy import AnyOf, IdKind
from identity.access import IdentityDirectory
from identity.api import blueprints
from identity.api.imports import MAX_IMPORT_BYTES
from identity.settings import IdentitySettings
from identity.subscriptions import subscriptions
from identity.tables import employments, metadata, people, school_groups, schools


def _own_keys(runtime: Runtime) -> StaticKeySource:
    """Identity verifies its own tokens from its database rather than over HTTP."""
    from identity import keys, tokens

    def load():
        with runtime.uow_factory() as uow:
            return keys.public_keys(uow.session, tokens.VERIFY_WINDOW)

    return StaticKeySource(loader=load)


def id_kinds() -> dict:
    """Ids in identity's requests are looked up in its own tables, not in a projection."""
    person, school = IdKind(people, "person"), IdKind(schools, "school")
    group = IdKind(school_groups, "group of schools")
    return {"person": person, "school": school, "group": group, "employment": IdKind(employments, "employment"),
            "scope": AnyOf("school, group or trust", (school, group), trust_itself=True),
            "audit_subject": AnyOf("person or school", (person, school))}


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
    settings_class=IdentitySettings,
    subscriptions=subscriptions,
    key_source=_own_keys,
    directory=IdentityDirectory,
    id_kinds=id_kinds,
    load_demo=_load_demo,
    commands=_commands,
    extra={"max_body_bytes": MAX_IMPORT_BYTES},  # a trust's staff CSV: the gateway lets it through
    api_description="Trusts, schools and people; sign-in, tokens and the keys that verify them.",
)

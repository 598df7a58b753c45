"""Identity's own commands: ``canopy identity create-trust`` and ``rotate-keys``."""
from __future__ import annotations

import getpass
import os
import sys

from canopy_kit.web.errors import ApiError
from identity import handlers, keys


def _create_trust(runtime, args) -> int:
    password = os.environ.get("CANOPY_ADMIN_PASSWORD") or getpass.getpass("Password for the first admin: ")
    with runtime.uow_factory() as uow:
        try:
            trust_id, admin_id = handlers.create_trust_with_admin(
                uow, name=args.name, slug=args.slug, admin_given_name=args.admin_given_name,
                admin_family_name=args.admin_family_name, admin_email=args.admin_email, admin_password=password)
        except ApiError as exc:
            print(f"not created: {exc.description}", file=sys.stderr)
            return 2
        uow.commit()
    print(f"trust {args.slug} created: trust_id={trust_id} admin_id={admin_id}")
    return 0


def _rotate_keys(runtime, _args) -> int:
    with runtime.uow_factory() as uow:
        kid = keys.rotate(uow.session, handlers.key_passphrase(runtime.settings))
        uow.commit()
    print(f"new signing key {kid}; the previous key still verifies until its tokens expire")
    return 0


def add_commands(subparsers) -> None:
    create = subparsers.add_parser("create-trust", help="create a trust with its first admin")
    create.add_argument("--name", required=True)
    create.add_argument("--slug", required=True)
    create.add_argument("--admin-email", required=True)
    create.add_argument("--admin-given-name", required=True)
    create.add_argument("--admin-family-name", required=True)
    create.set_defaults(handler=_create_trust)
    rotate = subparsers.add_parser("rotate-keys", help="start signing with a new key")
    rotate.set_defaults(handler=_rotate_keys)

"""Identity's own commands: ``canopy identity create-trust`` and ``rotate-keys``."""
from __future__ import annotations

import getpass
import os
import sys
from datetime import timedelta

from canopy_kit.errors import Refusal
from identity import commands, keys, queries


def _create_trust(runtime, args) -> int:
    password = os.environ.get("CANOPY_ADMIN_PASSWORD") or getpass.getpass("Password for the first admin: ")
    with runtime.uow_factory() as uow:
        try:
            trust_id, admin_id = commands.create_trust_with_admin(
                uow, name=args.name, slug=args.slug, admin_given_name=args.admin_given_name,
                admin_family_name=args.admin_family_name, admin_email=args.admin_email, admin_password=password)
        except Refusal as exc:
            print(f"not created: {exc.message}", file=sys.stderr)
            return 2
        uow.commit()
    print(f"trust {args.slug} created: trust_id={trust_id} admin_id={admin_id}")
    return 0


def _rotate_keys(runtime, args) -> int:
    delay = 0 if args.now else runtime.settings.key_activation_seconds
    with runtime.uow_factory() as uow:
        kid = keys.rotate(uow.session, runtime.settings.key_passphrase, activation=timedelta(seconds=delay))
        uow.commit()
    print(f"new signing key {kid}, published now, signing in {delay} s; the previous key still verifies "
          "until its tokens expire")
    return 0


def _import_staff(runtime, args) -> int:
    from pathlib import Path

    from identity.importer import run_import

    def progress(done: int, total: int) -> None:
        filled = int(30 * done / total)
        print(f"\r  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} rows", end="", file=sys.stderr, flush=True)

    on_terminal = sys.stderr.isatty()  # a bar redrawn with carriage returns has no place in a log file
    data = Path(args.file).read_bytes()  # one that cannot be read is reported by the kit's command line
    with runtime.uow_factory() as uow:
        trust_id = queries.trust_id_of(uow.session, args.trust)
        if trust_id is None:
            print(f"no trust {args.trust!r}", file=sys.stderr)
            return 2
        report = run_import(uow, data, trust_id=trust_id, dry_run=args.dry_run,
                            progress=progress if on_terminal else None)
        if report.applied:
            uow.commit()
    if on_terminal:
        print(file=sys.stderr)
    for problem in report.problems:
        print(f"line {problem.line}: {problem.field}: {problem.reason}", file=sys.stderr)
    verdict = "applied" if report.applied else ("checked, nothing written" if report.valid else "NOT imported")
    print(f"{report.rows} rows, {verdict}: " + ", ".join(f"{k} {v}" for k, v in report.changes.items()))
    return 0 if report.valid else 1


def add_commands(subparsers) -> None:
    create = subparsers.add_parser("create-trust", help="create a trust with its first admin")
    create.add_argument("--name", required=True)
    create.add_argument("--slug", required=True)
    create.add_argument("--admin-email", required=True)
    create.add_argument("--admin-given-name", required=True)
    create.add_argument("--admin-family-name", required=True)
    create.set_defaults(handler=_create_trust)
    staff = subparsers.add_parser("import-staff", help="import people, employments, roles and line managers")
    staff.add_argument("file", help="UTF-8 CSV, one row per employment")
    staff.add_argument("--trust", required=True, help="the trust's slug")
    staff.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    staff.set_defaults(handler=_import_staff)
    rotate = subparsers.add_parser("rotate-keys", help="publish a new key and sign with it after "
                                   "IDENTITY_KEY_ACTIVATION_SECONDS (30)")
    rotate.add_argument("--now", action="store_true",
                        help="sign with it at once (services may refuse its first tokens for up to 10 s)")
    rotate.set_defaults(handler=_rotate_keys)

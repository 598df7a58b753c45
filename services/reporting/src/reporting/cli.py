"""Reporting's own commands: ``canopy reporting replay`` and ``canopy reporting rebuild``."""
from __future__ import annotations

from reporting.commands.replay import rebuild_rollups, replay


def _replay(runtime, args) -> int:
    with runtime.uow_factory() as uow:
        count = replay(uow, runtime.registry)
        uow.commit()
    print(f"reporting: replayed {count} events from the event log")
    return 0


def _rebuild(runtime, args) -> int:
    with runtime.uow_factory() as uow:
        rebuild_rollups(uow, args.trust)
        uow.commit()
    print("reporting: rollups rebuilt from the facts" + (f" of trust {args.trust}" if args.trust else ""))
    return 0


def add_commands(subparsers) -> None:
    replay_parser = subparsers.add_parser(
        "replay", help="empty the read models and apply the whole event log again (stop the consumer first)")
    replay_parser.set_defaults(handler=_replay)
    rebuild_parser = subparsers.add_parser("rebuild", help="recompute the rollup cells from the facts")
    rebuild_parser.add_argument("--trust", help="one trust's id (default: every trust)")
    rebuild_parser.set_defaults(handler=_rebuild)

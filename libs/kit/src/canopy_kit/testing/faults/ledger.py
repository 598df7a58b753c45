"""What the tier measured, and ``docs/reliability.md`` written from it: the load held, each fault
with its time to consistency and what (if anything) was lost, doubled, stuck or leaked."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from canopy_kit.testing.faults.consistency import Report
from canopy_kit.testing.faults.load import LoadRecord


NOT_COVERED = [
    "Not covered yet: a multi-node RabbitMQ cluster and network partitions (one node here). The broker's "
    "own dead-lettering (retries back to their queue, the delivery limit) is at least once by policy, "
    "which only a node failing mid-move would put to the test.",
    "The permission matrix for every endpoint, role and relationship is checked by each service's own "
    "generated list/detail and tenancy tests, not again here.",
]


@dataclass
class FaultResult:
    name: str
    how: str
    seconds: float | None  # to consistency after the fault ended; None: not consistent in time
    report: Report


@dataclass
class Ledger:
    faults: list[FaultResult] = field(default_factory=list)
    checks: list[tuple[str, str]] = field(default_factory=list)  # (security or finding check, outcome)
    notes: list[str] = field(default_factory=list)
    tests_run: int = 0
    tests_failed: int = 0  # in the whole session: a failure elsewhere is counted too

    def add_check(self, name: str, outcome: str) -> None:
        self.checks.append((name, outcome))

    def markdown(self, record: LoadRecord, repository: Path) -> str:
        commit = subprocess.run(["git", "-C", str(repository), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip() or "unknown"
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        acked = len(record.acknowledged)
        server_errors = record.server_errors()
        total = lambda attribute: sum(getattr(f.report, attribute) for f in self.faults)  # noqa: E731
        stuck = sum(1 for f in self.faults if f.seconds is None)
        slowest = max((f.seconds for f in self.faults if f.seconds is not None), default=0.0)
        lines = [
            "# Reliability under faults",
            "",
            f"Written by the fault tier (`make test-faults`, part of CI) on {when} at commit `{commit}`.",
            "It runs the production topology (`canopy up-prod`: every service's api, relay and consumer behind",
            "nginx) on a PostgreSQL cluster and a RabbitMQ node of its own, drives a steady write load through",
            "the gateway, injects each fault below while the load runs, and then checks directly in the",
            "databases and the broker that every acknowledged write exists once, every outbox is drained,",
            "every consumer's inbox and projections equal their sources, and the dead letters hold only the",
            "poison. Time to consistency is counted from the end of the fault (the server back, the process",
            "killed), with the load running two seconds more.",
            "",
            f"This run: {self.tests_run} of the tier's tests, {self.tests_failed} failed.",
            "",
            "## Summary",
            "",
            "| measure | value |",
            "|---|---|",
            f"| acknowledged writes | {acked} (abandoned by the client after its retries: {len(record.abandoned)}) |",
            f"| load held | {acked / record.busy_seconds:.1f} writes/s while it ran ({record.busy_seconds:.0f} s), "
            f"ticks skipped with every slot busy: {record.skipped_ticks} |",
            f"| faults injected | {len(self.faults)} |",
            f"| events lost | {total('lost')} acknowledged writes missing, {sum(sum(f.report.unhandled.values()) for f in self.faults)} events unhandled at the end of a fault's wait |",
            f"| effects doubled | {total('doubled')} |",
            f"| stuck consumers | {stuck} faults not consistent within the wait |",
            f"| innocent dead letters | {total('innocent_dead')} |",
            f"| 5xx seen by clients | {sum(server_errors.values())} ({', '.join(f'{s}: {n}' for s, n in sorted(server_errors.items())) or 'none'}); "
            f"500: {server_errors.get(500, 0)}; 503 without `Retry-After`: {record.unavailable_without_retry_after} |",
            f"| slowest time to consistency | {slowest:.1f} s |",
            "",
            "Answers the load's client saw, by status (0: the connection itself failed): "
            + ", ".join(f"{status}: {count}" for status, count in sorted(record.statuses.items())) + ".",
            "",
            "## Each fault",
            "",
            "| fault | how | time to consistency | lost | doubled | innocent dead letters |",
            "|---|---|---|---|---|---|",
        ]
        for fault in self.faults:
            seconds = "not consistent: " + "; ".join(fault.report.problems[:3]) if fault.seconds is None \
                else f"{fault.seconds:.1f} s"
            lines.append(f"| {fault.name} | {fault.how} | {seconds} | {fault.report.lost} | {fault.report.doubled} "
                         f"| {fault.report.innocent_dead} |")
        if self.checks:
            lines += ["", "## Checks", "", "| check | outcome |", "|---|---|"]
            lines += [f"| {name} | {outcome} |" for name, outcome in self.checks]
        notes = list(self.notes)
        if record.reauthenticated:
            notes.append(f"{len(record.reauthenticated)} writes were answered 401 with a valid token and went "
                         f"through after the client signed in again; the first said: `{record.reauthenticated[0].strip()}`.")
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes + NOT_COVERED]
        return "\n".join(lines) + "\n"

"""Portfolio's own settings, each read from ``PORTFOLIO_<FIELD>`` with its one default here."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from canopy_kit.settings import Settings


@dataclass(frozen=True)
class PortfolioSettings(Settings):
    # Weeks from an activity's end to its follow-up evaluation (use in practice, pupil outcomes).
    follow_up_weeks: int = field(default=6, metadata={"min": 1})
    # Where evidence files are kept; None: ``<data dir>/evidence``.
    evidence_dir: Path | None = None
    # The largest evidence file accepted (10 MiB).
    evidence_max_bytes: int = field(default=10 * 1024 * 1024, metadata={"min": 1})

    @property
    def evidence_root(self) -> Path:
        return self.evidence_dir or self.data_dir / "evidence"

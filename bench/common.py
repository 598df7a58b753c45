"""What every benchmark shares: throwaway databases, medians, and writing docs/performance.md."""
from __future__ import annotations

import platform
import re
import statistics
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

PERFORMANCE_DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
HISTORY_KEPT = 3  # runs of each section kept in the document, newest first


def median_seconds(run: Callable[[], None], repeats: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


@contextmanager
def postgres_database() -> Iterator[str]:
    from sqlalchemy.engine import make_url

    from canopy_kit.db.migrations import drop_database, ensure_database

    url = make_url(POSTGRES_ADMIN_URL).set(database=f"canopy_bench_{uuid.uuid4().hex[:8]}")
    rendered = url.render_as_string(hide_password=False)
    ensure_database(rendered)
    try:
        yield rendered
    finally:
        drop_database(rendered)


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(title: str, body: str) -> None:
    """Put this run of a benchmark at the top of its section, keeping the last few runs."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    run = f"### {stamp} ({machine()})\n\n{body.strip()}\n"
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else "# Performance\n"
    heading = f"## {title}\n"
    if heading not in text:
        text = text.rstrip() + f"\n\n{heading}\n"
    before, _, rest = text.partition(heading)
    following = re.search(r"^## ", rest, flags=re.M)
    section, after = (rest[:following.start()], rest[following.start():]) if following else (rest, "")
    runs = re.split(r"(?=^### )", section, flags=re.M)
    intro, previous = runs[0], [r for r in runs[1:] if r.strip()]
    kept = [run] + previous[:HISTORY_KEPT - 1]
    PERFORMANCE_DOC.write_text(before + heading + intro.rstrip("\n") + "\n\n" + "\n".join(kept).rstrip() + "\n\n"
                               + after.lstrip("\n"))

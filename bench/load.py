"""Closed-loop HTTP load with wrk: a fixed number of keep-alive connections for a fixed time.

wrk (C, one event loop per thread) leaves the two cores to the servers far better than a
Python load generator would. Install it with ``apt-get install wrk``.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Load:
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, flags=re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Load(requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                p50_ms=_milliseconds(percentiles["50"]), p99_ms=_milliseconds(percentiles["99"]),
                errors=(int(errors.group(1)) if errors else 0)
                + (sum(map(int, socket_errors.groups())) if socket_errors else 0))


def run_wrk(url: str, *, seconds: float, connections: int, headers: dict, method: str = "GET",
            body: dict | None = None) -> Load:
    """Load ``url`` for ``seconds`` (bounded by wrk itself) and return throughput and latency."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "request.lua"
        all_headers = {**headers, "Content-Type": "application/json"} if body is not None else headers
        lines = [f"wrk.method = {json.dumps(method)}"]
        lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in all_headers.items()]
        if body is not None:
            lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
        script.write_text("\n".join(lines) + "\n")
        result = subprocess.run(
            ["wrk", "--latency", "-t", str(min(2, connections)), "-c", str(connections),
             "-d", f"{max(1, round(seconds))}s", "--timeout", "5s", "-s", str(script), url],
            capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse_wrk(result.stdout)

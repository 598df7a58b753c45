"""Child processes of the local production run: started in their own session (so Ctrl-C reaches
only the launcher, which stops them in order), logging to a file each, restarted with backoff when
they die on their own, and stopped with the signal each one treats as "finish and exit"."""
from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("canopy.up-prod")

MAX_RESTART_DELAY_SECONDS = 30.0
STABLE_AFTER_SECONDS = 60.0  # a child that ran this long starts again from the shortest delay
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the launcher dies without stopping it (say, SIGKILL)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_delay: float = 1.0
    restart_at: float | None = None
    restarts: int = 0
    _log_file: object = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=_die_with_parent)
        self.started_at = time.monotonic()
        self.restart_at = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def check(self) -> None:
        """Restart the child, after a growing delay, if it exited on its own."""
        if self.process is None or self.running():
            return
        now = time.monotonic()
        if self.restart_at is None:
            if now - self.started_at > STABLE_AFTER_SECONDS:
                self.restart_delay = 1.0
            log.error("%s exited with %s; restarting in %.0fs. Its last lines:\n%s", self.name,
                      self.process.returncode, self.restart_delay, self.log_tail())
            self.restart_at = now + self.restart_delay
            self.restart_delay = min(self.restart_delay * 2, MAX_RESTART_DELAY_SECONDS)
        elif now >= self.restart_at:
            self._close_log()
            self.restarts += 1
            self.start()

    def request_stop(self) -> None:
        self.restart_at = None
        if self.running():
            self.process.send_signal(self.stop_signal)

    def wait_stopped(self, deadline: float) -> int | None:
        """The exit code; a child still running at the deadline is killed (and reported as None)."""
        if self.process is None:
            return 0
        try:
            code = self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.error("%s did not stop in time; killing it", self.name)
            self.process.kill()
            self.process.wait()
            code = None
        self._close_log()
        return code

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def stop_in_order(groups: list[list[Child]], timeout_seconds: float) -> bool:
    """Stop each group of children after the one before it has exited; True when every child
    exited cleanly (code 0) within the time allowed."""
    clean = True
    for group in groups:
        for child in group:
            child.request_stop()
        deadline = time.monotonic() + timeout_seconds
        for child in group:
            code = child.wait_stopped(deadline)
            if code != 0:
                log.error("%s stopped with %s", child.name, "a kill" if code is None else f"exit code {code}")
                clean = False
    return clean

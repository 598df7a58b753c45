"""The platform the browser tier drives: ``canopy up`` (the embedded default, demo data and all) in
a data folder of its own, and what the tests read from it: its address, the demo logins it
printed, and the account mail identity wrote into ``<data folder>/mail/``.

``bench/web_pages.py`` starts its platform the same way. To iterate on browser tests without a
fresh platform per run, start one yourself with its output in ``up.log`` in its data folder and
name that folder in ``CANOPY_BROWSER_PLATFORM``::

    mkdir -p var/browser-platform
    CANOPY_DATA_DIR=var/browser-platform canopy up --port 8300 > var/browser-platform/up.log 2>&1 &
    CANOPY_BROWSER_PLATFORM=var/browser-platform python -m pytest tests/browser

The tests then use that platform (and leave it running); they make their own people and records,
so a platform reused across runs serves them as well as a fresh one.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

DEMO_DELIVERED = "Demo data has reached every service"  # what `canopy up` prints once it has
DEMO_LATE = "demo data did not reach every service in time"  # ... or once it has given up
RUNNING = re.compile(r"Canopy is running at (?P<url>https?://\S+?)/?(?:\s|$)")
DEMO_LOGIN = re.compile(r"demo login: (?P<email>\S+) / (?P<password>\S+)\s+\((?P<who>[^)]+)\)")
DEMO_WAIT_SECONDS = 960.0  # a minute past `canopy up`'s own 900 s, after which it says it gave up
STOP_WAIT_SECONDS = 60.0
MAIL_WAIT_SECONDS = 60.0  # identity's consumer writes the mail after the request's commit
LOG_TAIL = 4000


class PlatformUnavailable(Exception):
    """The platform did not start (or its log says nothing usable); the message ends with its log."""


@dataclass
class DemoPlatform:
    base_url: str  # where the browser goes: the web client at /, the APIs under /api/
    logins: dict[str, str]  # who ("teacher", "trust admin", ...) -> email, as `canopy up` printed them
    password: str  # the demo logins' password
    data_dir: Path
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)  # None: one already running

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    def api(self, method: str, service: str, path: str, *, token: str | None = None, **options):
        """A call to a public API through the gateway, as any client makes it (``requests``'
        options: ``json=``, ``params=``, ``headers=``); the answer whatever its status."""
        import requests

        headers = {**options.pop("headers", {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return requests.request(method, f"{self.base_url}/api/{service}{path}", headers=headers, timeout=30, **options)

    def token(self, who: str, password: str | None = None) -> str:
        """An access token of a demo login (``who``) or of any email, signed in through the API."""
        email = self.logins.get(who, who)
        answer = self.api("POST", "identity", "/v1/auth/login",
                          json={"email": email, "password": password or self.password})
        assert answer.status_code == 200, f"{email} could not sign in: {answer.status_code} {answer.text}"
        return answer.json()["access_token"]

    def mail_to(self, address: str, *, after: float = 0.0, timeout: float = MAIL_WAIT_SECONDS) -> EmailMessage:
        """The newest account mail to ``address`` written after ``after`` (a ``time.time()``),
        waiting for identity's consumer to write it."""
        deadline = time.monotonic() + timeout
        while True:
            written = sorted(((path.stat().st_mtime, path) for path in self.mail_dir.glob("*.eml")), reverse=True)
            for moment, path in written:
                message = _read_mail(path)
                if moment >= after and message["To"].strip().lower() == address.lower():
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} in {self.mail_dir} within {timeout:g} s")
            time.sleep(0.2)

    def link_mailed_to(self, address: str, *, after: float = 0.0, timeout: float = MAIL_WAIT_SECONDS) -> str:
        """The one link (its one-time token in the query) of the newest account mail to ``address``."""
        message = self.mail_to(address, after=after, timeout=timeout)
        links = re.findall(r"https?://\S+", message.get_content())
        assert len(links) == 1, f"expected one link in the mail to {address}, found {links}"
        return links[0]


def unique(what: str) -> str:
    """``what`` with a random tail: the records a test makes are its own, on a platform reused
    across runs too."""
    return f"{what} {uuid.uuid4().hex[:8]}"


def me(platform: DemoPlatform, token: str) -> dict:
    """The identity record (``GET /v1/me``) of whoever holds ``token``."""
    answer = platform.api("GET", "identity", "/v1/me", token=token)
    assert answer.status_code == 200, answer.text
    return answer.json()


def display_name(person: dict) -> str:
    """Someone's name as the pages show it: the preferred name where given, and the family name."""
    return f"{person.get('preferred_name') or person['given_name']} {person['family_name']}"


def sign_in(page, email: str, password: str) -> None:
    """Through the real sign-in form, as a person would (the page's context has the base URL)."""
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _read_mail(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_output(text: str) -> tuple[str | None, dict[str, str], str | None]:
    """(base URL, {who: email}, password) from what `canopy up` printed; every demo login it
    printed, whoever they are."""
    running = RUNNING.search(text)
    logins, passwords = {}, set()
    for match in DEMO_LOGIN.finditer(text):
        logins[match["who"].strip()] = match["email"]
        passwords.add(match["password"])
    if len(passwords) > 1:
        raise PlatformUnavailable(f"the demo logins have different passwords: {sorted(passwords)}")
    return (running["url"].rstrip("/") if running else None), logins, (passwords.pop() if passwords else None)


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-LOG_TAIL:]
    except OSError:
        return "(no log)"


def _clean_environment(data_dir: Path) -> dict[str, str]:
    """This run's own data folder, and nothing of a developer's shell that would send the
    platform elsewhere: other databases, buses or data folders, a real mail server."""
    kept = {name: value for name, value in os.environ.items()
            if not name.endswith(("DATABASE_URL", "BUS_URL", "DATA_DIR", "SMTP_URL", "SMTP_URL_FILE"))
            and name not in ("CANOPY_EXCHANGE", "CANOPY_QUEUE_PREFIX", "CANOPY_JWKS_URL")}
    return {**kept, "CANOPY_DATA_DIR": str(data_dir), "LOG_JSON": "0"}


class _Output(threading.Thread):
    """Copies the platform's output into its log as it comes, and says when the demo data has
    reached every service or the output ended (the platform stopped)."""

    def __init__(self, stream, log: Path):
        super().__init__(daemon=True, name="canopy-up-output")
        self.stream, self.log = stream, log
        self.settled = threading.Event()  # demo delivered, given up, or the output ended
        self.delivered = False

    def run(self) -> None:
        with self.log.open("w") as log:
            for line in self.stream:
                log.write(line)
                log.flush()
                if DEMO_DELIVERED in line:
                    self.delivered = True
                    self.settled.set()
                elif DEMO_LATE in line:
                    self.settled.set()
        self.settled.set()


def start(data_dir: Path, *, port: int | None = None, wait: float = DEMO_WAIT_SECONDS) -> DemoPlatform:
    """``canopy up`` on a free port in ``data_dir``, returned once its demo data has reached every
    service. Stop it with ``stop``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "up.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "canopy_kit.cli", "up", "--port", str(port or free_port())],
        env=_clean_environment(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)  # its own process group: the gateway and every worker stop with it
    output = _Output(process.stdout, log)
    output.start()
    started = time.monotonic()
    output.settled.wait(wait)
    if not output.delivered:
        why = (f"exited with {process.poll()}" if process.poll() is not None
               else "gave up on its demo data" if output.settled.is_set()
               else f"did not bring its demo data to every service within {wait:g} s")
        stop_process(process)
        raise PlatformUnavailable(f"`canopy up` {why}; the end of its log ({log}):\n{_tail(log)}")
    base_url, logins, password = read_output(log.read_text())
    if base_url is None or not logins:
        stop_process(process)
        raise PlatformUnavailable(f"`canopy up` printed no address or no demo login; its log:\n{_tail(log)}")
    print(f"\ncanopy up: demo data everywhere {time.monotonic() - started:.0f} s after the start, at {base_url}",
          file=sys.stderr)
    return DemoPlatform(base_url, logins, password, data_dir, log, process)


def attach(data_dir: Path, *, wait: float = DEMO_WAIT_SECONDS) -> DemoPlatform:
    """A platform someone started in ``data_dir`` with its output in ``data_dir/up.log``."""
    data_dir = data_dir.resolve()
    log = data_dir / "up.log"
    deadline = time.monotonic() + wait
    while DEMO_DELIVERED not in (log.read_text(errors="replace") if log.exists() else ""):
        if time.monotonic() > deadline:
            raise PlatformUnavailable(f"{log} never said {DEMO_DELIVERED!r}; its end:\n{_tail(log)}")
        time.sleep(0.5)
    base_url, logins, password = read_output(log.read_text())
    if base_url is None or not logins:
        raise PlatformUnavailable(f"{log} names no address or no demo login:\n{_tail(log)}")
    return DemoPlatform(base_url, logins, password, data_dir, log)


def stop(platform: DemoPlatform) -> None:
    if platform.process is not None:
        stop_process(platform.process)


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (a clean stop), then SIGKILL to whatever is left."""
    group = process.pid  # start_new_session: the group's id is the leader's pid
    _signal_group(group, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        _signal_group(group, signal.SIGKILL)
        process.wait()
    _signal_group(group, signal.SIGKILL)  # a worker the launcher did not wait for


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except (ProcessLookupError, PermissionError):
        pass

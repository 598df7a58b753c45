"""The browser tier: Playwright driving Debian's chromium against the whole platform, one
``canopy up`` with its demo data for the session (``support.py``).

Fixtures:
- ``platform``: ``.base_url``, ``.logins`` ({"teacher": email, "trust admin": email, ...}: every
  demo login ``canopy up`` printed), ``.password``; also ``.token(who)``, ``.api(method, service,
  path, token=..., json=...)`` for arranging data through the public APIs, and
  ``.link_mailed_to(email, after=time.time())`` for the link of the account mail identity wrote.
- ``browser``: the session's headless chromium.
- ``signed_in(who)``: a new page (in a context of its own) signed in through the sign-in form as
  that demo login, on the home page. ``new_page()``: a new page signed in as nobody. Both have
  the context's ``base_url`` set, so ``page.goto("/me")`` works.
- ``check_accessibility(page)``: axe-core on the current page; fails on any serious or critical
  violation, naming the rule, its impact and the elements.
- ``screenshot(page, name)``: ``<name>-desktop.png`` (1280x800, full page) and ``<name>-phone.png``
  (360x740, full page) in ``var/browser-artifacts/`` (or ``CANOPY_BROWSER_ARTIFACTS``).

Every page from ``signed_in`` and ``new_page`` is watched: a console error, an uncaught exception
or a Content-Security-Policy violation (an inline script, style or handler that slipped into a
template) fails the test that opened it. A page made some other way (``browser.new_page()``) is
watched once passed to ``watch_page(page)``; ``watch_page(page).allow(regex)`` lets a test expect
a console error it causes on purpose. A document or an htmx answer with a 4xx status (a form shown
again with the API's reasons, an error page) is not an error: the browser's "Failed to load
resource" line about it is ignored; the same about a script, style or image is not.

Without chromium or with a platform that cannot start, the tier skips saying why, or fails when
``CANOPY_REQUIRE_SERVICES=1`` (CI). Every test here is marked ``browser`` and ``integration`` (so
``make test-unit`` leaves it out; ``pytest -m browser`` runs the tier alone).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from canopy_kit.testing.plugin import unavailable
from tests.browser import support

REPOSITORY = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SERIOUS = ("serious", "critical")
QUIET_TYPES = ("document", "xhr", "fetch")  # answers whose 4xx status a page shows on purpose
FAILED_RESOURCE = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")
WATCHED = pytest.StashKey[list]()


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)


# -- the platform and the browser -----------------------------------------------------------------
@pytest.fixture(scope="session")
def platform(tmp_path_factory) -> support.DemoPlatform:
    running = os.environ.get("CANOPY_BROWSER_PLATFORM")
    try:
        started = support.attach(Path(running)) if running else support.start(tmp_path_factory.mktemp("platform"))
    except support.PlatformUnavailable as exc:
        unavailable("The platform (`canopy up`)", exc)
    yield started
    support.stop(started)


def chromium_path() -> str | None:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium", "not installed; apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
    except Exception as exc:
        unavailable("Playwright", exc)
    try:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
    except Exception as exc:
        playwright.stop()
        unavailable("Chromium", exc)
    yield launched
    launched.close()
    playwright.stop()


# -- watching pages for console errors and CSP violations ----------------------------------------
class PageProblems:
    """What went wrong in one page as the browser saw it."""

    def __init__(self, page):
        self.page = page
        self.errors: list[tuple[str, str]] = []  # (text, url the browser says it is about)
        self.quiet: set[str] = set()  # documents and htmx answers that came back 4xx
        self.allowed: list[re.Pattern] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append((f"uncaught exception: {error}", page.url)))
        page.on("response", self._response)

    def allow(self, pattern: str) -> "PageProblems":
        """Expect console errors matching ``pattern`` (a regex searched in the text)."""
        self.allowed.append(re.compile(pattern))
        return self

    def _console(self, message) -> None:
        if message.type in ("error", "assert"):
            self.errors.append((message.text, (message.location or {}).get("url", "")))

    def _response(self, response) -> None:
        if 400 <= response.status < 500 and response.request.resource_type in QUIET_TYPES:
            self.quiet.add(response.url)

    def found(self) -> list[str]:
        problems = []
        for text, url in self.errors:
            failed = FAILED_RESOURCE.match(text)
            if failed and int(failed.group(1)) < 500 and url in self.quiet:
                continue
            if any(pattern.search(text) for pattern in self.allowed):
                continue
            kind = "CSP violation" if "Content Security Policy" in text else "console error"
            problems.append(f"{kind} on {url or self.page.url}: {text}")
        return problems


@pytest.fixture
def watch_page(request):
    """``watch_page(page)``: fail the test if that page logs an error (see the module's notes)."""
    watched = request.node.stash.setdefault(WATCHED, [])

    def watch(page) -> PageProblems:
        for problems in watched:
            if problems.page is page:
                return problems
        problems = PageProblems(page)
        watched.append(problems)
        return problems

    return watch


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # a test that failed already fails for its own reason
    found = []
    for problems in item.stash.get(WATCHED, []):
        if not problems.page.is_closed():
            try:
                problems.page.evaluate("0")  # delivers the events still on their way
            except Exception:
                pass  # closing or navigating: what arrived is what there is
        found += problems.found()
    if found:
        raise AssertionError("the browser reported problems:\n  " + "\n  ".join(found))
    return result


# -- pages ----------------------------------------------------------------------------------------
@pytest.fixture
def new_page(browser, platform, watch_page):
    """``new_page()``: a page in a browser context of its own, signed in as nobody, watched."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=platform.base_url, viewport=DESKTOP, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        watch_page(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(platform, new_page):
    """``signed_in(who)``: a new page signed in as that demo login, on the home page."""
    from playwright.sync_api import expect

    def open_as(who: str):
        if who not in platform.logins:
            pytest.fail(f"no demo login for {who!r}; `canopy up` printed {sorted(platform.logins)}", pytrace=False)
        page = new_page()
        support.sign_in(page, platform.logins[who], platform.password)
        page.wait_for_url(platform.base_url + "/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        return page

    return open_as


# -- checks and captures ---------------------------------------------------------------------------
def accessibility_problems(page, context=None) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"])
        problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return problems


@pytest.fixture
def check_accessibility():
    """``check_accessibility(page)``: no serious or critical axe-core violation on the page as it is."""
    def check(page, context=None) -> None:
        problems = accessibility_problems(page, context)
        if problems:
            raise AssertionError(f"accessibility violations on {page.url}:\n  " + "\n  ".join(problems))

    return check


def artifacts_dir() -> Path:
    return Path(os.environ.get("CANOPY_BROWSER_ARTIFACTS") or REPOSITORY / "var" / "browser-artifacts")


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: the page at desktop and phone width, in the artifacts folder."""
    def capture(page, name: str) -> list[Path]:
        folder = artifacts_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
        before = page.viewport_size or DESKTOP
        saved = []
        try:
            for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(size)
                path = folder / f"{stem}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
        finally:
            page.set_viewport_size(before)
        return saved

    return capture

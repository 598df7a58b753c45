"""Web pages: the server time of each main page of the web client, for each demo login.

``canopy up`` with its demo data runs in a data folder of its own, started and waited for as the
browser tier starts it (``tests/browser/support.py``), or the benchmark uses one already running
(``--base-url``, with ``--up-log``: what that ``canopy up`` printed, for its demo logins). Each demo
login signs in through the sign-in form; its pages are the ones its home page's menu links to
(so the benchmark covers whatever areas the client has), its home page, its profile and who read
its records. Each page is requested twice to warm it, then timed ``--repeats`` times one after
another: the time from sending the GET to the answer's headers (the client renders a page whole
before it answers, so that is its server time, over loopback). Target: every page under 200 ms at
the 95th percentile.

    python -m bench.web_pages [--repeats 20] [--base-url URL --up-log FILE] [--quick] [--no-write]
"""
from __future__ import annotations

import re
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.common import benchmark_arguments, markdown_table, median, met, percentile, publish

TITLE = "Web pages (server time per role)"
TARGET_MS = 200.0
WARM = 2
ACCOUNT_PAGES = (("/me", "My profile"), ("/me/access", "Who read my records"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class MenuLinks(HTMLParser):
    """The links of the main menu (``<nav aria-label="Main">``): (path, label) in menu order."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._depth = 0  # inside the main nav: how many <nav> deep
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "nav" and (self._depth or attributes.get("aria-label") == "Main"):
            self._depth += 1
        elif tag == "a" and self._depth and attributes.get("href"):
            self._href, self._text = attributes["href"], []

    def handle_endtag(self, tag):
        if tag == "nav" and self._depth:
            self._depth -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def menu_links(html: str) -> list[tuple[str, str]]:
    parser = MenuLinks()
    parser.feed(html)
    return parser.links


def signed_in_session(base_url: str, email: str, password: str):
    """A ``requests`` session signed in through the sign-in form, as a browser is."""
    import requests

    browser = requests.Session()
    form = browser.get(f"{base_url}/sign-in", timeout=30)
    token = CSRF.search(form.text)
    assert token, f"no CSRF field on {base_url}/sign-in"
    answer = browser.post(f"{base_url}/sign-in", data={"csrf_token": token.group(1), "email": email,
                                                         "password": password}, timeout=30, allow_redirects=False)
    if answer.status_code != 303 or urlsplit(answer.headers.get("Location", "")).path != "/":
        raise RuntimeError(f"{email} could not sign in: {answer.status_code}")
    return browser


def pages_of(browser, base_url: str) -> list[tuple[str, str]]:
    """(path, label) of every page this person's menu offers, home first, then the account pages;
    a menu entry that redirects is timed where it lands."""
    home = browser.get(f"{base_url}/", timeout=30)
    home.raise_for_status()
    found = [("/", "Home")]
    for href, label in menu_links(home.text) + list(ACCOUNT_PAGES):
        landed = urlsplit(browser.get(urljoin(f"{base_url}/", href), timeout=60).url)
        path = landed.path + (f"?{landed.query}" if landed.query else "")
        if path not in {known for known, _ in found}:
            found.append((path, label))
    return found


def time_page(browser, url: str, repeats: int, warm: int = WARM) -> dict:
    statuses = set()
    for _ in range(warm):
        statuses.add(browser.get(url, timeout=60, allow_redirects=False).status_code)
    times = []
    for _ in range(repeats):
        answer = browser.get(url, timeout=60, allow_redirects=False)
        statuses.add(answer.status_code)
        times.append(answer.elapsed.total_seconds() * 1000)
    return {"median": median(times), "p95": percentile(times, 0.95), "max": max(times), "statuses": sorted(statuses)}


def measure_platform(base_url: str, logins: dict[str, str], password: str, repeats: int) -> dict:
    """{who: [(path, label, timings)]} for every demo login."""
    results = {}
    for who, email in logins.items():
        browser = signed_in_session(base_url, email, password)
        results[who] = [(path, label, time_page(browser, base_url + path, repeats))
                        for path, label in pages_of(browser, base_url)]
    return results


def measure(repeats: int, *, base_url: str | None = None, up_log: Path | None = None) -> dict:
    from tests.browser import support

    started = time.monotonic()
    if base_url is not None:
        _, logins, password = support.read_output(up_log.read_text())
        return {"pages": measure_platform(base_url.rstrip("/"), logins, password, repeats), "repeats": repeats,
                "platform": "running"}
    with tempfile.TemporaryDirectory() as data_dir:
        platform = support.start(Path(data_dir))
        try:
            ready = time.monotonic() - started
            pages = measure_platform(platform.base_url, platform.logins, platform.password, repeats)
        finally:
            support.stop(platform)
    return {"pages": pages, "repeats": repeats, "platform": f"started, demo data everywhere after {ready:.0f} s"}


def report(results: dict) -> str:
    rows, over = [], []
    for who, pages in results["pages"].items():
        for path, label, timing in pages:
            bad = timing["statuses"] != [200]
            rows.append([who, f"{label} (`{path}`)", f"{timing['median']:.0f} ms", f"{timing['p95']:.0f} ms",
                         f"{timing['max']:.0f} ms", ", ".join(map(str, timing["statuses"])),
                         met(timing["p95"] < TARGET_MS and not bad)])
            if timing["p95"] >= TARGET_MS or bad:
                over.append(f"{who}: {label} (`{path}`) p95 {timing['p95']:.0f} ms"
                            + (f", answered {timing['statuses']}" if bad else ""))
    count = sum(len(pages) for pages in results["pages"].values())
    summary = (f"Over {TARGET_MS:g} ms at the 95th percentile, or not answering 200: " + "; ".join(over) + "."
               if over else f"Every page under {TARGET_MS:g} ms at the 95th percentile.")
    return (f"`canopy up` with its demo data ({results['platform']}); {count} pages of "
            f"{len(results['pages'])} demo logins, each from its own menu; every page warmed {WARM} times, then "
            f"{results['repeats']} GETs one after another, timed from the request to the answer's headers. Target: "
            f"p95 under {TARGET_MS:g} ms.\n\n"
            + markdown_table(["login", "page", "median", "p95", "slowest", "status", "met"], rows)
            + f"\n\n{summary}")


def main(argv=None) -> int:
    parser = benchmark_arguments(__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--base-url", help="a running `canopy up` with its demo data (else one is started)")
    parser.add_argument("--up-log", type=Path, help="with --base-url: what that `canopy up` printed")
    args = parser.parse_args(argv)
    if args.base_url and not args.up_log:
        parser.error("--base-url needs --up-log (the demo logins are read from it)")
    results = measure(3 if args.quick else args.repeats, base_url=args.base_url, up_log=args.up_log)
    publish(TITLE, report(results), write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The page-speed benchmark (bench/web_pages.py) runs, briefly, on the tier's platform, so that it
cannot rot; its figures live in docs/performance.md, never in assertions about time."""
from __future__ import annotations

from bench import web_pages


def test_the_menu_parser_reads_the_main_menu_only():
    html = ('<nav aria-label="Pages"><a href="/x">Next</a></nav><nav class="main" aria-label="Main">'
            '<ul><li><a href="/" aria-current="page">Home</a></li>'
            '<li><a href="/portfolio">My <b>portfolio</b></a></li></ul></nav><a href="/me">My profile</a>')
    assert web_pages.menu_links(html) == [("/", "Home"), ("/portfolio", "My portfolio")]


def test_the_benchmark_times_every_page_of_a_logins_menu(platform):
    logins = {who: platform.logins[who] for who in ("teacher", "trust admin")}
    results = {"pages": web_pages.measure_platform(platform.base_url, logins, platform.password, repeats=2),
               "repeats": 2, "platform": "the browser tier's"}
    for who, pages in results["pages"].items():
        paths = [path for path, _, _ in pages]
        assert paths[0] == "/" and {"/me", "/me/access"} <= set(paths) and len(set(paths)) == len(paths)
        for path, _, timing in pages:
            assert timing["statuses"] == [200], (who, path, timing)
            assert 0 < timing["median"] <= timing["p95"] <= timing["max"]
    assert len(results["pages"]["trust admin"]) > len(results["pages"]["teacher"])  # the admin's menu is longer
    table = web_pages.report(results)
    assert "| teacher | Home (`/`) |" in table and "| trust admin |" in table

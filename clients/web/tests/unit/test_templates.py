"""No template can break the Content-Security-Policy: no inline script, no inline style, no event
handler attribute, no javascript: URL, in any template of any area, now or later."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import canopy_web

TEMPLATES = Path(canopy_web.__file__).parent / "templates"
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
TAG = re.compile(r"<[a-zA-Z][\w:-]*(\s[^<>]*)?/?>", re.S)
FORBIDDEN_ATTRIBUTE = re.compile(r"""(?:^|[\s"'])(style|on[a-z]+)\s*=""", re.I)
# Attributes handed to a macro as data: attrs={"onclick": ...} would be written out as they are.
FORBIDDEN_KEY = re.compile(r"""["'](style|on[a-z]+)["']\s*:""", re.I)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def problems_in(source: str) -> list[str]:
    found = [f"a key {match.group(1)!r} given as an attribute" for match in FORBIDDEN_KEY.finditer(source)]
    markup = JINJA.sub(" x ", source)  # what Jinja writes is checked where it lands: in a tag or not
    for match in SCRIPT.finditer(markup):
        if match.group(2).strip():
            found.append(f"an inline script: {match.group(0)[:80]!r}")
        if "src=" not in match.group(1):
            found.append(f"a script without src: {match.group(0)[:80]!r}")
    for tag in TAG.finditer(markup):
        found += [f"a {attribute}= attribute: {tag.group(0)[:80]!r}"
                  for attribute in FORBIDDEN_ATTRIBUTE.findall(tag.group(1) or "")]
    if re.search(r"javascript:", markup, re.I):
        found.append("a javascript: URL")
    if re.search(r"<style\b", markup, re.I):
        found.append("a <style> element")
    return found


def test_there_are_templates_to_check():
    names = {path.relative_to(TEMPLATES).as_posix() for path in _templates()}
    assert {"base.html", "macros.html", "account/sign_in.html"} <= names


@pytest.mark.parametrize("path", _templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_no_template_has_inline_script_style_or_handlers(path):
    assert problems_in(path.read_text()) == []


@pytest.mark.parametrize("source", [
    '<script>alert(1)</script>', '<script src="/x.js">alert(1)</script>', "<script defer></script>",
    '<p style="color: red">', "<div class='a' style='x'>", '<button type="button" onclick="go()">',
    '<img src="x.png" alt="" onerror="steal()">', '<a href="javascript:alert(1)">', "<style>p {}</style>",
    '<input {% if x %}onfocus="x()"{% endif %}>', "{{ field('a', 'A', attrs={'onclick': 'x()'}) }}",
    '<p\n   style="color: red">',
])
def test_the_check_finds_what_would_break_the_policy(source):
    assert problems_in(source)


@pytest.mark.parametrize("source", [
    '<script src="{{ url_for(\'static\', filename=\'app.js\') }}" defer></script>', '<p class="style-note">',
    '<a href="/me" data-confirm="Sign out?">', '<p>Set the style= of your notes one=two</p>',
    '{% set one = 1 %}<p>{{ "onclick=" }}</p>', '<input data-online="yes" aria-label="Online">',
])
def test_the_check_leaves_what_the_policy_allows(source):
    assert problems_in(source) == []

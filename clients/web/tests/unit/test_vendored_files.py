"""The one vendored script is the release it is named after: upgrading htmx is replacing this file
and its checksum here, on purpose, never an accident."""
import hashlib
from pathlib import Path

import canopy_web

STATIC = Path(canopy_web.__file__).parent / "static"
HTMX = {"htmx-2.0.8.min.js": "22283ef68cb7545914f0a88a1bdedc7256a703d1d580c1d255217d0a50d31313"}


def test_the_vendored_htmx_is_the_pinned_release():
    for name, digest in HTMX.items():
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, name


def test_the_base_template_loads_the_pinned_file_and_nothing_from_elsewhere():
    base = (Path(canopy_web.__file__).parent / "templates" / "base.html").read_text()
    for name in HTMX:
        assert f"filename='{name}'" in base
    assert "http://" not in base and "https://" not in base  # nothing from a CDN

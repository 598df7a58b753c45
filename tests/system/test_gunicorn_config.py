"""``deploy/gunicorn.conf.py`` and how ``canopy <service> api`` uses it: settings from the
environment, command-line options over the file, the file's own hooks kept beside the kit's, and a
graceful stop that lets the request in hand finish."""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import urllib.request
from argparse import Namespace
from pathlib import Path

import pytest

from canopy_kit.cli import _api_options
from canopy_kit.processes import gunicorn_file_settings
from canopy_kit.production.topology import free_port

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
GUNICORN_VARIABLES = ("GUNICORN_BIND", "GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT")

# A WSGI app under the kit's serve_wsgi and the deploy config; /slow takes two seconds.
SERVER = """
import sys, time
from canopy_kit.processes import serve_wsgi

def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(2)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["PATH_INFO"].encode()]

serve_wsgi(lambda: app, config_file=sys.argv[1])
"""


def test_settings_come_from_the_environment(monkeypatch):
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    defaults = gunicorn_file_settings(CONFIG)
    assert (defaults["bind"], defaults["workers"], defaults["threads"]) == ("0.0.0.0:8000", 2, 4)
    assert defaults["worker_class"] == "gthread"
    assert defaults["graceful_timeout"] + 5 < 40  # preStop + drain fit Kubernetes' grace period
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9999")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    tuned = gunicorn_file_settings(CONFIG)
    assert (tuned["bind"], tuned["workers"], tuned["threads"]) == ("127.0.0.1:9999", 3, 8)
    monkeypatch.setenv("GUNICORN_WORKERS", "many")
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number"):
        gunicorn_file_settings(CONFIG)


def test_command_line_options_win_over_the_file_and_defaults_apply_without_one():
    given = Namespace(port=None, workers=None, threads=None, config=str(CONFIG))
    assert _api_options(given) == {"workers": None, "threads": None, "bind": None}
    given = Namespace(port=9000, workers=None, threads=6, config=str(CONFIG))
    assert _api_options(given) == {"workers": None, "threads": 6, "bind": "0.0.0.0:9000"}
    bare = Namespace(port=None, workers=None, threads=None, config=None)
    assert _api_options(bare) == {"workers": 2, "threads": 4, "bind": "0.0.0.0:8001"}


def test_sigterm_lets_the_request_in_hand_finish_and_keeps_the_files_hooks(tmp_path, wait):
    marker = tmp_path / "forked"
    config = tmp_path / "gunicorn.conf.py"
    config.write_text(CONFIG.read_text() + (
        "\n\ndef post_fork(server, worker):\n"
        f"    open({str(marker)!r}, 'a').write(f'{{worker.pid}}\\n')\n"))
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(config)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait(lambda: urllib.request.urlopen(f"{base}/", timeout=1).status == 200, timeout=20, what="gunicorn")
        wait(lambda: marker.exists() and len(marker.read_text().split()) == 2, timeout=10,
             what="the config file's post_fork in both workers")
        answers = []

        def ask_slowly():
            answers.append(urllib.request.urlopen(f"{base}/slow", timeout=10).read())

        slow = threading.Thread(target=ask_slowly)
        slow.start()
        threading.Event().wait(0.5)
        server.send_signal(signal.SIGTERM)
        slow.join(timeout=10)
        assert answers == [b"/slow"]
        assert server.wait(timeout=25) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

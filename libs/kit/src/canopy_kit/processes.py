"""The process kinds of a service: api (WSGI under gunicorn), relay, consumer, and the embedded
worker (relay and consumer as two threads). Each stops cleanly on SIGTERM or Ctrl-C: the relay
finishes the batch in hand, the consumer commits or abandons the batch in hand (unacked messages
are redelivered), so no event is lost."""
from __future__ import annotations

import logging
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable

from canopy_kit.bus.consumer import EventConsumer
from canopy_kit.doorbell import wake_this_process
from canopy_kit.bus.relay import OutboxRelay
from canopy_kit.events.inbox import InboxProcessor
from canopy_kit.metrics import serve_metrics
from canopy_kit.service import Runtime

log = logging.getLogger("canopy.process")


def stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handle(signum, _frame):
        log.info("received signal %s; stopping", signum)
        stop.set()
        wake_this_process()  # a relay or consumer blocked on a doorbell sees the stop at once

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop


def build_consumer(runtime: Runtime) -> EventConsumer:
    processor = InboxProcessor(runtime.spec.name, runtime.uow_factory, runtime.subscriptions, runtime.registry)
    return EventConsumer(runtime.settings, processor, runtime.subscriptions.routing_keys)


def run_relay(runtime: Runtime, stop: threading.Event) -> None:
    OutboxRelay(runtime.settings, runtime.engine).run(stop)


def run_consumer(runtime: Runtime, stop: threading.Event) -> None:
    if not runtime.subscriptions:
        log.info("%s consumes no events; consumer idle", runtime.spec.name)
        stop.wait()
        return
    build_consumer(runtime).run(stop)


def run_threads(targets: list[Callable[[threading.Event], None]], stop: threading.Event) -> None:
    """Run each target in a thread until ``stop``; if one dies, stop the others too."""

    def guard(target):
        try:
            target(stop)
        except Exception:
            log.exception("worker thread failed")
        finally:
            stop.set()

    threads = [threading.Thread(target=guard, args=(t,), daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    while not stop.is_set():
        stop.wait(1.0)
    for thread in threads:
        thread.join(timeout=30)


def run_process(kind: str, runtime: Runtime) -> None:
    stop = stop_on_signals()
    serve_metrics(runtime.settings.metrics_port)
    targets = {
        "relay": [lambda s: run_relay(runtime, s)],
        "consumer": [lambda s: run_consumer(runtime, s)],
        "worker": [lambda s: run_relay(runtime, s), lambda s: run_consumer(runtime, s)],
    }[kind]
    try:
        run_threads(targets, stop)
    finally:
        runtime.dispose()


def _multiprocess_metrics_hooks(own_hooks: dict) -> dict:
    """Gunicorn hooks for prometheus-client's multiprocess mode: every worker writes its samples
    to files in one folder, ``/metrics`` merges them, and a dead worker's gauges are dropped.
    A config file's own ``post_fork``/``child_exit`` still run, after the kit's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        for stale in Path(folder).glob("*.db"):  # counts from an earlier run would be added in
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="canopy-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    Path(folder).mkdir(parents=True, exist_ok=True)

    def post_fork(server, worker):
        from prometheus_client import values

        values.ValueClass = values.MultiProcessValue()
        if own_hooks.get("post_fork"):
            own_hooks["post_fork"](server, worker)

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
        if own_hooks.get("child_exit"):
            own_hooks["child_exit"](server, worker)

    return {"post_fork": post_fork, "child_exit": child_exit}


def gunicorn_file_settings(path: str | Path) -> dict:
    """The gunicorn settings a config file defines, read as gunicorn reads one (a Python file
    whose module-level names that are gunicorn settings count; anything else is ignored)."""
    import runpy

    from gunicorn.config import Config

    known = Config().settings
    namespace = runpy.run_path(str(path))
    return {name: value for name, value in namespace.items() if name in known}


# The kit's worker is gunicorn's gthread answering what gunicorn refuses itself in the platform's
# JSON error body (canopy_kit.web.server).
DEFAULT_WSGI_OPTIONS = {"bind": "127.0.0.1:8000", "workers": 1, "threads": 8,
                        "worker_class": "canopy_kit.web.server.CanopyWorker",
                        "graceful_timeout": 20, "timeout": 60, "accesslog": None}


def serve_wsgi(app_factory: Callable[[], object], *, bind: str | None = None, workers: int | None = None,
               threads: int | None = None, config_file: str | Path | None = None,
               extra: dict | None = None) -> None:
    """Serve a WSGI app under gunicorn from Python; the app is built in each worker, after the fork,
    so no engine or connection is shared between processes.

    Settings, later winning: the kit's defaults, then ``config_file`` (e.g.
    ``deploy/gunicorn.conf.py``), then the arguments given here, then ``extra``."""
    from gunicorn.app.base import BaseApplication

    options = dict(DEFAULT_WSGI_OPTIONS)
    if config_file is not None:
        options.update(gunicorn_file_settings(config_file))
    given = {"bind": bind, "workers": workers, "threads": threads}
    options.update({name: value for name, value in given.items() if value is not None})
    options.update(extra or {})
    own_hooks = {name: options.get(name) for name in ("post_fork", "child_exit")}
    options.update(_multiprocess_metrics_hooks(own_hooks))

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app_factory()

    Server().run()

"""The metrics are registered once per process, however many threads ask first."""
import threading
import time

from prometheus_client import REGISTRY

import canopy_kit.metrics as metrics_module


def test_threads_of_a_fresh_worker_asking_at_once_register_the_metrics_once(monkeypatch):
    existing = metrics_module.metrics()
    for collector in vars(existing).values():  # as in a freshly forked worker: nothing registered
        REGISTRY.unregister(collector)
    monkeypatch.setattr(metrics_module, "_built", None)
    real_build = metrics_module._build

    def slow_build():
        time.sleep(0.05)  # long enough that every thread arrives while the first is building
        return real_build()

    monkeypatch.setattr(metrics_module, "_build", slow_build)
    start, results, errors = threading.Barrier(8), [], []

    def ask():
        start.wait()
        try:
            results.append(metrics_module.metrics())
        except Exception as exc:  # a second registration raises "Duplicated timeseries"
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len({id(m) for m in results}) == 1
    monkeypatch.undo()
    metrics_module._built = results[0]  # the registered ones stay the process's metrics

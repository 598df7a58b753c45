"""Gunicorn settings for every Canopy API process, and for the web client's:

    canopy <service> api --config deploy/gunicorn.conf.py
    canopy web --config deploy/gunicorn.conf.py

One file for docker-compose, Kubernetes and the local production run (`canopy up-prod`), so every
value comes from the environment:

    GUNICORN_BIND (host:port) or PORT (8000)   where to listen; PORT binds every interface
    GUNICORN_WORKERS, else WEB_CONCURRENCY (2)  processes; scale a busy API out with more replicas
    GUNICORN_THREADS (4)                        threads per worker: requests waiting on PostgreSQL overlap
    GUNICORN_TIMEOUT (30)                       a worker silent this long is killed and replaced
    GUNICORN_GRACEFUL_TIMEOUT (20)              on SIGTERM, in-flight requests get this long to finish
    GUNICORN_KEEPALIVE (5)                      seconds an idle connection from the gateway is kept
    GUNICORN_MAX_REQUESTS (5000)                a worker is recycled after this many requests

Metrics: the kit puts prometheus-client in multiprocess mode (PROMETHEUS_MULTIPROC_DIR, emptied at
start, a temporary folder when unset) and adds its own post_fork/child_exit hooks around any defined
here, so /metrics adds up every worker.
"""
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"

timeout = _int("GUNICORN_TIMEOUT", 30)
# Kubernetes' terminationGracePeriodSeconds (30) leaves room for this plus the preStop pause.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Longer than the gateway's upstream keepalive_timeout (4 s): nginx closes an idle connection
# first, so it never sends a request down one that gunicorn is closing at that moment.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycling bounds a slow leak; the jitter keeps the workers from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max(1, max_requests // 10)

# The gateway logs every request as JSON with its request id; the app logs its own errors.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Worker heartbeats on a RAM disk where there is one: a container's overlay filesystem can stall
# the heartbeat file long enough for a healthy worker to be killed as silent.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

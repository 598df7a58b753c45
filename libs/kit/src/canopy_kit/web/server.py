"""The kit's gunicorn worker: gunicorn's threaded worker, answering in the platform's own terms.

- What gunicorn refuses before any app sees the request (a request line over its limit: 414, too
  many or too large headers: 431, a malformed request or header: 400) is answered with the
  platform's JSON error body and an ``X-Request-ID``, not gunicorn's HTML page.
- A 413 closes the connection, saying so (``Connection: close``): the body the client is still
  sending was not read, so the connection cannot carry another request. gunicorn would announce
  keep-alive, try to read the rest of the body, and drop the connection when it could not.

``serve_wsgi`` uses it unless a config file names another worker class.
"""
from __future__ import annotations

import json
import uuid

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from canopy_kit.web.errors import CODES, error_body

WORKER_CLASS = "canopy_kit.web.server.CanopyWorker"
# Statuses only gunicorn answers, so the app's table of codes has no word for them.
SERVER_CODES = {414: "uri_too_long", 417: "expectation_failed", 431: "headers_too_large", 501: "not_implemented"}
MESSAGES = {
    400: "the request is not valid HTTP",
    403: "the request is forbidden",
    414: "the request line (method and URL) is too long",
    417: "the expectation in the Expect header cannot be met",
    431: "the request's headers are too many or too large",
    500: "internal error",
    501: "the request's transfer coding is not supported",
}
MAX_DETAIL_CHARS = 200  # gunicorn's detail can quote what the client sent


def error_bytes(status: int, reason: str, detail: str) -> bytes:
    """A whole HTTP response with the platform's error body; the connection closes after it."""
    body = json.dumps(error_body(status, MESSAGES.get(status, reason.lower()),
                                 {"request": [detail[:MAX_DETAIL_CHARS]]} if detail else {},
                                 code=SERVER_CODES.get(status) or CODES.get(status))).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Request-ID: {uuid.uuid4().hex}\r\n\r\n")
    return head.encode("latin-1") + body


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """A drop-in for ``gunicorn.util.write_error``, the one function gunicorn writes its own
    answers with (its worker chooses the status and detail, this only changes the body)."""
    util.write_nonblock(sock, error_bytes(status_int, reason, mesg))


def closing_after_refused_bodies(app):
    """WSGI wrapper: a 413 answer ends the connection. gunicorn ignores an app's ``Connection``
    header, so the worker's response object (gunicorn's ``start_response`` is its method) is told."""

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            response = getattr(start_response, "__self__", None)
            if status.startswith("413") and hasattr(response, "force_close"):
                response.force_close()
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


class CanopyWorker(ThreadWorker):
    def init_process(self):
        # Replaced in this worker process only, before it serves: every thread then answers alike.
        util.write_error = write_json_error
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        self.wsgi = closing_after_refused_bodies(self.wsgi)

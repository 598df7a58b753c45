"""Bodies sent without a length (``Transfer-Encoding: chunked``) held to the same limit as the rest.

A body that declares its length is refused from the header alone (werkzeug answers 413 before a
view reads it). One without a length is cut off by werkzeug at the app's ``MAX_CONTENT_LENGTH``
without a word, so a view would read the first megabyte of a larger body and answer "not valid
JSON". Here such a body is read up to the limit before anything else looks at it, and a byte beyond
the limit is a 413, as nginx answers in production.
"""
from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge


def refuse_unmeasured_oversized_body() -> None:
    """``before_request``, before any hook reads the body: reads a body without a length into the
    request's cache (views and parsers then read it from there), or refuses it with 413."""
    limit = request.max_content_length
    if limit is None or request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        return  # measured bodies are checked from the header; without the server's framing there is no body
    data = request.get_data(cache=True)  # werkzeug stops reading at the limit
    if len(data) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()

"""HTTP for tests that talk to running processes (the production topology's tiers): standard
library only, every error answer a reply like any other, and polling with a deadline."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPConnection
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def http(method: str, url: str, body=None, headers: dict | None = None, timeout: float = 10,
         source: str | None = None) -> Reply:
    """``source``: the local address to connect from (any 127.x.y.z on Linux), so that one
    machine can be several clients to a gateway that tells clients apart by address."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    if source is not None:
        return _from_address(source, method, url, data, {**({"Content-Type": "application/json"}
                                                            if data is not None and not isinstance(body, bytes)
                                                            else {}), **(headers or {})}, timeout)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None and not isinstance(body, bytes):
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def _from_address(source: str, method: str, url: str, data: bytes | None, headers: dict,
                  timeout: float) -> Reply:
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=data,
                           headers=headers)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)

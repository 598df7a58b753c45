"""The embedded gateway (``canopy gateway``, as ``canopy up`` starts it) over raw HTTP: what its
server refuses before any service sees the request is answered in the platform's error body with
an ``X-Request-ID``; bodies over the limit are 413 whether or not they declare a length, and the
connection then closes, saying so; every request is one line of its access log."""
import json
import os
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.integration

ERROR_KEYS = {"code", "status", "message", "errors"}
OVER_THE_LIMIT = 2 * 1024 * 1024  # a service's default limit is 1 MiB
ANY_SERVICE_PATH = "/api/observation/v1/templates"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gateway")
    port = _free_port()
    env = {**os.environ, "CANOPY_DATA_DIR": str(folder), "LOG_JSON": "0"}
    for name in ("DATABASE_URL", "BUS_URL"):
        env.pop(name, None)
    log = open(folder / "gateway.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "canopy_kit.cli", "gateway", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, (folder / "gateway.log").read_text()
            time.sleep(0.2)
    yield port, folder / "gateway.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


class Answer:
    def __init__(self, raw: bytes, closed_cleanly: bool):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
        self.closed_cleanly = closed_cleanly

    def json(self):
        return json.loads(self.body)


def _exchange(port: int, request: bytes, *, body_parts=()) -> Answer:
    """Send ``request`` (and then ``body_parts`` while the server still reads), read the answer to
    the end of the connection: EOF is a clean close, a reset is not."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(request)
        for part in body_parts:
            try:
                conn.sendall(part)
            except OSError:
                break  # the server answered and stopped reading: the answer is what counts
        received, clean = b"", True
        while True:
            try:
                chunk = conn.recv(65536)
            except ConnectionResetError:
                clean = False
                break
            if not chunk:
                break
            received += chunk
    return Answer(received, clean)


def _chunked(body: bytes, size: int = 65536) -> bytes:
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def _assert_error_body(answer: Answer, status: int) -> dict:
    assert answer.status == status
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers.get("x-request-id")
    body = answer.json()
    assert set(body) == ERROR_KEYS and body["status"] == status
    return body


@pytest.mark.parametrize("request_bytes, status, code", [
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Many-%d: v\r\n" % i for i in range(200)) + b"\r\n",
     431, "headers_too_large"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n", 431, "headers_too_large"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n", 400, "bad_request"),
], ids=["long request line", "too many headers", "one huge header", "malformed header name"])
def test_what_the_server_refuses_itself_gets_the_platform_error_body(gateway, request_bytes, status, code):
    port, _log = gateway
    answer = _exchange(port, request_bytes)
    body = _assert_error_body(answer, status)
    assert body["code"] == code and body["errors"]["request"]
    assert answer.headers["connection"] == "close"


def test_an_oversized_chunked_body_is_413_and_the_connection_closes_cleanly(gateway):
    port, _log = gateway
    body = json.dumps({"name": "x" * OVER_THE_LIMIT}).encode()
    answer = _exchange(port, f"POST {ANY_SERVICE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n".encode() + _chunked(body))
    assert _assert_error_body(answer, 413)["errors"] == {"body": ["is larger than this endpoint accepts"]}
    assert answer.headers["connection"] == "close" and answer.closed_cleanly


def test_a_chunked_body_within_the_limit_is_read_whole(gateway):
    port, _log = gateway
    # Not JSON at all: the answer names the body, which it could only do having read it to the end.
    answer = _exchange(port, f"POST {ANY_SERVICE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n".encode() + _chunked(b"[" * 10 + b"x" * 200_000))
    assert _assert_error_body(answer, 400)["errors"]["body"]
    assert answer.headers["connection"] == "keep-alive"


def test_a_413_for_a_declared_length_closes_the_connection_saying_so(gateway):
    port, _log = gateway
    head = (f"POST {ANY_SERVICE_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {OVER_THE_LIMIT}\r\n\r\n").encode()
    answer = _exchange(port, head, body_parts=[b"x" * 65536])  # the rest never comes
    _assert_error_body(answer, 413)
    assert answer.headers["connection"] == "close" and answer.closed_cleanly


def test_every_request_is_a_line_of_the_access_log(gateway):
    port, log = gateway
    answer = _exchange(port, b"GET /api/identity/v1/me?q=secret HTTP/1.1\r\nHost: x\r\nX-Request-ID: access-log-probe\r\n"
                             b"Connection: close\r\n\r\n")
    assert answer.status == 401
    deadline = time.monotonic() + 10
    while "access-log-probe" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    [line] = [line for line in log.read_text().splitlines() if "access-log-probe" in line]
    assert " GET /api/identity/v1/me 401 " in line and line.split()[-2].endswith("ms")
    assert "secret" not in line  # the query string is not logged

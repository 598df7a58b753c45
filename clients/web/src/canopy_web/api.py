"""The public APIs, through the gateway, as any client reaches them: nothing here reads a
service's database or knows where a service runs."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Mapping
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from werkzeug.test import Client

UNAVAILABLE = 503
LOCATIONS = ("json", "query", "form", "files", "path", "headers")  # webargs' places, not field names


@dataclass
class ApiError(Exception):
    """An answer that is not a success, in the platform's error body."""
    status: int
    message: str
    code: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    retry_after: str | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.message}"

    @property
    def is_refusal(self) -> bool:
        """A 4xx: the person's to put right, shown on the form; anything else (the service down)
        goes to the error page."""
        return 400 <= self.status < 500

    def reason_for(self, name: str) -> str | None:
        reasons = self.errors.get(name)
        return "; ".join(reasons) if reasons else None


def field_errors(errors: Any, prefix: str = "", *, top: bool = True) -> dict[str, list[str]]:
    """The error body's ``errors`` as ``{"field": [reasons]}``, nested fields dotted
    (``responses.0.value``), and webargs' locations (``json``, ``query``) left out of the names:
    at the top only, where webargs puts them (a field may be called ``path`` or ``form``)."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            name = prefix if (top and str(key) in LOCATIONS) else (f"{prefix}.{key}" if prefix else str(key))
            for found, reasons in field_errors(value, name, top=False).items():
                flat.setdefault(found, []).extend(reasons)
    elif isinstance(errors, (list, tuple)):
        if all(isinstance(item, str) for item in errors):
            flat[prefix or "_"] = list(errors)
        else:
            for item in errors:
                for found, reasons in field_errors(item, prefix, top=top).items():
                    flat.setdefault(found, []).extend(reasons)
    elif errors is not None:
        flat[prefix or "_"] = [str(errors)]
    return flat


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content) if self.content else None


class SourceAddressAdapter(HTTPAdapter):
    """Connections that leave from one local address: the one the gateway trusts to name the
    browser (X-Forwarded-For), so that identity and the gateway's sign-in limit see each browser
    rather than this client."""

    def __init__(self, source_address: str, **options):
        self.source_address = (source_address, 0)  # set first: HTTPAdapter makes its pool in __init__
        super().__init__(**options)

    def init_poolmanager(self, *args, **options):
        super().init_poolmanager(*args, source_address=self.source_address, **options)


class Gateway:
    """The public APIs below ``api_url`` (``<api_url>/<service>/...``).

    Over HTTP (one connection pool per process; requests' Session serves concurrent calls of
    independent requests) wherever the client runs as its own process. The embedded gateway, which
    serves this client in its own process, hands its WSGI app instead: the call goes through the
    same routes and middleware, from the browser's own address, without a socket back to itself.
    """

    def __init__(self, api_url: str, timeout: float, *, wsgi_app=None, source_address: str | None = None):
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        if source_address:
            adapter = SourceAddressAdapter(source_address)
            self.http.mount("http://", adapter)
            self.http.mount("https://", adapter)
        self.wsgi_app = wsgi_app

    def call(self, method: str, service: str, path: str, *, token: str | None = None, json: Any = None,
             params: Mapping[str, Any] | None = None, files=None, data=None, idempotency_key: str | None = None,
             forwarded: Mapping[str, str] | None = None, accept: str = "application/json",
             headers: Mapping[str, str] | None = None) -> Answer:
        """``headers``: the call's own (``If-Match`` with the ETag a draft was read with)."""
        headers = {"Accept": accept, **(forwarded or {}), **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        url = f"{self.api_url}/{service}{path}"
        if self.wsgi_app is not None:
            answer = self._call_in_process(method, url, headers, json=json, params=_clean(params), files=files, data=data)
        else:
            try:
                reply = self.http.request(method, url, json=json, params=_clean(params), files=files, data=data,
                                          headers=headers, timeout=self.timeout, allow_redirects=False)
            except requests.RequestException:
                raise ApiError(UNAVAILABLE, f"The {service} service is not answering; try again shortly.",
                               "unavailable") from None
            answer = Answer(reply.status_code, reply.headers, reply.content)
        if answer.status >= 400:
            raise _error_of(answer, service)
        return answer

    def _call_in_process(self, method, url, headers, *, json, params, files, data) -> Answer:
        parts = urlsplit(url)
        body = dict(data or {})
        for name, (filename, content, content_type) in (files or {}).items():
            body[name] = (BytesIO(content), filename, content_type)
        # As if the browser had called the gateway itself: its address, host and scheme. The host
        # and scheme go in base_url: werkzeug sets HTTP_HOST and wsgi.url_scheme from it over any
        # environ_base (identity's mailed links would name "localhost").
        environ = {"REMOTE_ADDR": (headers.get("X-Forwarded-For") or "127.0.0.1").split(",")[0].strip()}
        scheme, host = headers.get("X-Forwarded-Proto") or parts.scheme, headers.get("X-Forwarded-Host") or parts.netloc
        base_url = f"{scheme}://{host}"
        reply = Client(self.wsgi_app).open(
            parts.path, base_url=base_url, method=method, headers=headers, query_string=params, json=json,
            data=body or None, environ_base=environ)
        return Answer(reply.status_code, reply.headers, reply.get_data())


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Leave out empty filters: a blank select means "any", not "the empty string"."""
    if params is None:
        return None
    return {key: value for key, value in params.items() if value not in (None, "", [])}


def _error_of(answer: Answer, service: str) -> ApiError:
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    status = answer.status
    message = str(body.get("message") or ("The service is unavailable; try again shortly."
                                          if status >= 500 else "The request was refused."))
    if status >= 500 and status != UNAVAILABLE:
        message = f"The {service} service failed to answer; try again shortly."
    return ApiError(status, message, str(body.get("code") or ""), field_errors(body.get("errors")),
                    answer.headers.get("Retry-After"))


def new_idempotency_key() -> str:
    return str(uuid.uuid4())

"""Every request's body and parameters decoded and checked before a view sees them.

What no view should have to think about, refused the same way on SQLite and PostgreSQL (which
disagree about some of it: PostgreSQL cannot store a NUL, SQLite cannot take an integer beyond 64
bits, neither can encode a lone surrogate):

- a JSON body nested more than ``MAX_JSON_DEPTH`` levels (the parser's recursion never escapes): 400;
- text that is not valid Unicode (a lone surrogate, ``"\\ud800"``), or that holds a NUL character,
  in a JSON body, a form or the query string: 422 naming the field;
- numbers that are not finite (``NaN``, ``Infinity``, ``1e999``) and integers beyond 64 bits,
  anywhere in a JSON body: 422 naming the field;
- a path segment holding a NUL, or an ``<int:>`` segment beyond 64 bits, names nothing that can
  exist: 404 naming the segment.

Narrower bounds (a 32-bit column, a page number) are the schema's: every integer a request takes
declares its range (``validate.Range``), which the generated hostile-input test checks.
Responses are held to the same rule: ``NaN`` is never written as JSON.
"""
from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from canopy_kit.web.errors import ApiError

MAX_JSON_DEPTH = 32
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
MAX_REPORTED_FIELDS = 20  # a body full of bad strings gets a short answer, not one as long as itself

NUL = "must not contain NUL characters"
NOT_UNICODE = "must be valid Unicode text (it holds a lone surrogate)"
NOT_FINITE = "must be a finite number (not NaN or Infinity)"
OUT_OF_RANGE = f"must be an integer from {INT64_MIN} to {INT64_MAX}"
BAD_KEY = "has a key that is not valid Unicode text or holds a NUL character"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class Refused(str):
    """What a parse hook or a path converter gives back for a value it will not pass on: the reason,
    for ``screen_request`` to report under the field's name."""


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text by every backend, or None."""
    if "\x00" in value:
        return NUL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return NOT_UNICODE
    return None


def _parse_int(literal: str) -> int | Refused:
    # Checked on the digits, before int(): thousands of them would make int() itself raise.
    if len(literal.lstrip("-")) > 19:
        return Refused(OUT_OF_RANGE)
    value = int(literal)
    return value if INT64_MIN <= value <= INT64_MAX else Refused(OUT_OF_RANGE)


def _parse_float(literal: str) -> float | Refused:
    value = float(literal)
    return value if math.isfinite(value) else Refused(NOT_FINITE)


def _parse_constant(_name: str) -> Refused:  # NaN, Infinity, -Infinity: Python's extensions to JSON
    return Refused(NOT_FINITE)


def _not_json(reason: str) -> ApiError:
    return ApiError(400, "the request body is not valid JSON", errors={"body": [reason]})


def parse_json_body(raw: bytes) -> Any:
    """The JSON in ``raw``, with refused values (``Refused``) where numbers could not be kept.
    Raises a 400 for what is not JSON at all, or is nested too deeply to read safely."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_json("is not UTF-8") from None
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except RecursionError:
        raise _not_json(f"is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError:
        raise _not_json("Invalid JSON body.") from None


def _put(errors: dict, path: tuple, reason: str) -> None:
    """Record ``reason`` at ``path`` in marshmallow's nested shape (list positions as int keys)."""
    holder = errors
    for step in path[:-1]:
        holder = holder.setdefault(step, {})
    holder.setdefault(path[-1], []).append(reason)


def json_problems(document: Any) -> dict:
    """Field path -> reasons, for every value of a parsed body no backend could store faithfully.
    Iterative, so the depth limit is ours and not the interpreter's."""
    errors: dict = {}
    found = 0
    stack: list[tuple[Any, tuple]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            raise _not_json(f"is nested more than {MAX_JSON_DEPTH} levels deep")
        reason = None
        if isinstance(value, Refused):
            reason = value
        elif isinstance(value, str):
            reason = text_problem(value)
        elif isinstance(value, dict):
            if any(text_problem(key) for key in value):
                reason = BAD_KEY  # the key cannot be echoed back: the object it is in is named
            else:
                stack.extend((item, path + (key,)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, path + (index,)) for index, item in enumerate(value))
        if reason is not None and found < MAX_REPORTED_FIELDS:
            _put(errors, path or ("body",), reason)
            found += 1
    return errors


def _parameter_problems(pairs, where: str) -> dict:
    """Name -> reasons for named values; a name that cannot be echoed back is reported as ``where``."""
    errors: dict = {}
    for name, value in pairs:
        reason = value if isinstance(value, Refused) else text_problem(value) if isinstance(value, str) else None
        if reason is not None:
            errors.setdefault(name if text_problem(name) is None else where, []).append(reason)
    return errors


def _refuse(errors: dict, status: int = 422, message: str = "The request has invalid fields: ") -> None:
    if errors:
        raise ApiError(status, message + ", ".join(sorted(map(str, errors))), errors=errors)


def screen_request() -> None:
    """``before_request``: path segments, query string, then the body (JSON or a form).

    A path segment that no stored id or number could equal names nothing: 404, as an unknown id is
    (``canopy_kit.web.ids``), naming the segment. Everything else is bad input: 400 or 422."""
    _refuse(_parameter_problems((request.view_args or {}).items(), "path"), 404, "Nothing can exist at this path: ")
    _refuse(_parameter_problems(request.args.items(multi=True), "query"))
    if request.is_json and request.content_length != 0:
        raw = request.get_data(cache=True)
        if raw:
            _refuse(json_problems(parse_json_body(raw)))
    elif request.mimetype in FORM_TYPES:
        request.get_data(cache=True)  # the form is then parsed from a copy: the raw body stays readable
        uploads = ((name, upload.filename or "") for name, upload in request.files.items(multi=True))
        _refuse(_parameter_problems([*request.form.items(multi=True), *uploads], "body"))


class BoundedIntConverter(IntegerConverter):
    """``<int:name>`` limited to ASCII digits and to what a 64-bit column holds; a larger number is
    answered 404 naming the segment instead of reaching the database."""

    regex = r"[0-9]+"  # \d would also take other scripts' digits, which int() reads

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", INT64_MAX)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str):
        if len(value) > 19 or int(value) > self.max:
            return Refused(f"must be at most {self.max}")
        return super().to_python(value)


class StrictJSONProvider(DefaultJSONProvider):
    """JSON answers as strict as the questions: a non-finite number raises (and is logged as a 500)
    rather than being written as ``NaN``, which no JSON parser is obliged to read."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)


def install_input_rules(app: Flask) -> None:
    """Before any route is added: the bounded ``<int:>`` converter and the strict JSON writer.
    (``screen_request`` is registered after the request id is set, so its answers carry one.)"""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = StrictJSONProvider(app)

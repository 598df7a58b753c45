"""Hand-made hostile inputs, sent to every operation a service's OpenAPI document shows taking a
body or parameters: what generated fuzzing (``canopy_kit.testing.fuzz``) rarely builds.

JSON nested thousands of levels deep, a lone surrogate, a NUL, ``NaN`` and ``Infinity``, an integer
beyond 64 bits or one past its declared maximum, in every body field, query parameter, form field
and path segment. Each must be answered 4xx with the error body naming the field, and write
nothing (``canopy_kit.web.inputs`` is the rule; the schema's ranges do the rest). Every integer a
request takes must also declare both its bounds.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import quote

from canopy_kit.testing.documents import body_properties, names_field, openapi, operations
from canopy_kit.testing.tenancy import snapshot

ERROR_FIELDS = {"code", "status", "message", "errors"}
HOSTILE_TEXT = {"a lone surrogate": "a\ud800b", "a NUL": "a\x00b"}
HOSTILE_NUMBERS = {"NaN": math.nan, "Infinity": math.inf, "an integer beyond 64 bits": 2 ** 64}
DEEP = 5000  # levels of nesting: past the JSON parser's recursion limit
# What fills the path segments a case is not about: values that route, naming nothing stored.
PLACEHOLDER = {"integer": "1", "number": "1", "uuid": "00000000-0000-4000-8000-000000000000"}


@dataclass(frozen=True)
class HostileCase:
    """One request with one hostile value, and the field its error must name."""

    operation: str  # "POST /v1/records", as the document writes it
    what: str
    where: str  # path | query | body | form
    field: tuple  # property names, list positions and map keys down to the hostile value
    path: str
    query: dict = field(default_factory=dict)
    body: str | None = None  # JSON text (NaN and Infinity as Python writes them)
    form: dict | None = None
    routed: bool = True  # False: the router itself turns it away (a UUID segment cannot hold a NUL)

    @property
    def method(self) -> str:
        return self.operation.split(" ", 1)[0]

    def describe(self) -> str:
        return f"{self.operation}: {self.what} in {self.where} {'.'.join(map(str, self.field))}"


@dataclass(frozen=True)
class _Input:
    label: str  # "POST /v1/records"
    route: str  # "/v1/records"
    parameters: list  # the operation's parameters, its path's with them
    where: str  # path | query | body | form
    name: tuple
    schema: dict

    def url(self, segment: str | None = None) -> str:
        """The route with every segment filled: this input's with ``segment``, if it is one."""
        hostile = {self.name[0]: segment} if segment is not None else {}
        route = self.route
        for parameter in self.parameters:
            if parameter.get("in") == "path":
                name = parameter["name"]
                value = hostile.get(name, _placeholder(parameter.get("schema", {})))
                route = route.replace("{" + name + "}", quote(value, safe=""))
        return route


def _placeholder(schema: dict) -> str:
    return PLACEHOLDER.get(schema.get("format")) or PLACEHOLDER.get(schema.get("type"), "nowhere")


def _kind(schema: dict) -> str:
    return schema.get("type") or ("object" if "properties" in schema else "any")


def _inputs(document: dict) -> Iterator[_Input]:
    """Every parameter and body property of every operation."""
    for label, route, item, operation in operations(document):
        parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
        for parameter in parameters:
            if parameter.get("in") in ("path", "query"):
                yield _Input(label, route, parameters, parameter["in"], (parameter["name"],),
                             parameter.get("schema", {}))
        for content_type, content in operation.get("requestBody", {}).get("content", {}).items():
            where = "body" if content_type == "application/json" else "form"
            for path, prop in body_properties(document, content.get("schema", {})):
                if where == "body" or (_kind(prop) == "string" and prop.get("format") != "binary"):
                    yield _Input(label, route, parameters, where, path, prop)


def unbounded_integers(document: dict) -> list[str]:
    """Integer inputs that do not declare both bounds: nothing stops them at the column's range."""
    found = []
    for found_input in _inputs(document):
        prop = found_input.schema
        for schema in [prop, prop.get("items", {})] if _kind(prop) == "array" else [prop]:
            if _kind(schema) == "integer" and (schema.get("minimum") is None or schema.get("maximum") is None):
                found.append(f"{found_input.label} {found_input.where} {'.'.join(map(str, found_input.name))}")
    return found


def _parameter_values(prop: dict) -> dict[str, str]:
    """Hostile values for a path segment or a query parameter (a URL cannot carry a lone surrogate)."""
    if _kind(prop) != "integer":
        return {"a NUL": HOSTILE_TEXT["a NUL"]}
    values = {"an integer beyond 64 bits": str(2 ** 64)}
    if prop.get("maximum") is not None:
        values["one more than its maximum"] = str(prop["maximum"] + 1)
    return values


def _carriers(prop: dict) -> list[tuple[tuple, dict]]:
    """Where in a body property a hostile value goes: (steps below the property, hostile values)."""
    kind = _kind(prop)
    if kind in ("integer", "number"):
        numbers = dict(HOSTILE_NUMBERS)
        if kind == "integer" and prop.get("maximum") is not None:
            numbers["one more than its maximum"] = prop["maximum"] + 1
        return [((), numbers)]
    if kind == "string":
        return [((), HOSTILE_TEXT)]
    if kind == "array":
        item = prop.get("items", {})
        if "$ref" in item:
            return []  # its properties are sent on their own
        return [((0,), HOSTILE_NUMBERS if _kind(item) in ("integer", "number") else HOSTILE_TEXT)]
    if kind == "object" and "properties" not in prop:  # a map of the client's keys (a form's answers)
        return [(("key",), {**HOSTILE_TEXT, **HOSTILE_NUMBERS})]
    return [((), {**HOSTILE_TEXT, **HOSTILE_NUMBERS})] if kind == "any" else []


def _nested(path: tuple, value: Any) -> Any:
    """A body holding ``value`` at ``path`` and nothing else."""
    for step in reversed(path):
        value = [value] if isinstance(step, int) else {step: value}
    return value


def hostile_cases(document: dict) -> list[HostileCase]:
    """Every hostile value every operation of ``document`` can be sent, one per request."""
    cases, deep_sent = [], set()
    for found in _inputs(document):
        label, where, name = found.label, found.where, found.name
        if where == "path":
            routed = "format" not in found.schema and "pattern" not in found.schema
            cases += [HostileCase(label, what, where, name, found.url(value), routed=routed)
                      for what, value in _parameter_values(found.schema).items()]
        elif where == "query":
            cases += [HostileCase(label, what, where, name, found.url(), query={name[0]: value})
                      for what, value in _parameter_values(found.schema).items()]
        elif where == "form":
            cases.append(HostileCase(label, "a NUL", where, name, found.url(), form={name[0]: HOSTILE_TEXT["a NUL"]}))
        else:
            if label not in deep_sent:
                deep_sent.add(label)
                cases.append(HostileCase(label, f"{DEEP} levels of nesting", where, ("body",), found.url(),
                                         body="[" * DEEP + "]" * DEEP))
            for below, values in _carriers(found.schema):
                cases += [HostileCase(label, what, where, name + below, found.url(),
                                      body=json.dumps(_nested(name + below, value)))
                          for what, value in values.items()]
    return cases


def _answer_problem(case: HostileCase, response) -> str | None:
    body = response.get_json(silent=True)
    if not 400 <= response.status_code < 500:
        return f"{case.describe()} answered {response.status_code} {response.get_data(as_text=True)[:200]}"
    if not isinstance(body, dict) or set(body) != ERROR_FIELDS:
        return f"{case.describe()} answered {response.status_code} without the error body"
    if not case.routed:
        return None if response.status_code == 404 else f"{case.describe()} answered {response.status_code}"
    if not names_field(body["errors"], case.field):
        return f"{case.describe()} answered {response.status_code} without naming it: {json.dumps(body)[:200]}"
    return None


def _send(client, case: HostileCase, headers: dict):
    if case.form is not None:
        return client.open(case.path, method=case.method, headers=headers, data=case.form,
                           content_type="multipart/form-data")
    return client.open(case.path, method=case.method, headers=headers, query_string=case.query,
                       data=case.body, content_type="application/json" if case.body is not None else None)


def hostile_input_problems(client, runtime, headers: dict | None = None) -> tuple[list[str], int]:
    """Everything wrong with how a service treats hostile input (empty: nothing), and how many
    requests showed it. ``headers``: a caller allowed everywhere, so that the ranges schemas check
    behind the role checks are reached."""
    document = openapi(client)
    problems = [f"integer input without both bounds: {name}" for name in unbounded_integers(document)]
    cases = hostile_cases(document)
    for operation in sorted({case.operation for case in cases}):
        before = snapshot(runtime)
        for case in (c for c in cases if c.operation == operation):
            problem = _answer_problem(case, _send(client, case, headers or {}))
            if problem:
                problems.append(problem)
        if snapshot(runtime) != before:
            problems.append(f"{operation}: hostile input wrote something")
    return problems, len(cases)

"""The generated tenancy test every service runs: each id a request takes, found in the service's
own OpenAPI document by its declared kind (``x-canopy-id``), is sent as another trust's real id
of that kind and as a random one, by a caller who is otherwise allowed. Each must be answered
404 or 422 naming the field, and leave every table (the outbox with them) as it was.

A service's test supplies valid requests, ``examples``: operation label -> function of the world
it built -> list of ``Call``. Every id field is probed in the first example that sets it; each
example must then succeed as sent, which shows the caller was allowed and the rest of the body
valid. A new operation taking ids fails ``missing_examples`` until it has one.
"""
from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterator

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from canopy_kit.db.tables import kit_metadata
from canopy_kit.service import Runtime
from canopy_kit.testing.documents import body_properties, deref, names_field, openapi, operations
from canopy_kit.web.ids import ID_KIND

ID_NAME = re.compile(r".*_ids?$")


@dataclass
class Call:
    """One valid request: who sends it, where, and what."""

    headers: dict
    path: str
    body: dict | None = None
    query: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IdField:
    operation: str  # "POST /v1/templates", the path as the document writes it
    location: str  # body | query
    path: tuple  # property names, and 0 for "an element of this list"
    kind: str
    many: bool  # a list of ids

    @property
    def name(self) -> str:
        return ".".join(str(step) for step in self.path)


def _fields_of(document: dict, operation: dict) -> Iterator[tuple[str, tuple, dict, str]]:
    """(location, path, property schema, content type) of every request field of an operation."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query":
            yield "query", (parameter["name"],), parameter.get("schema", {}), ""
    for content_type, content in operation.get("requestBody", {}).get("content", {}).items():
        for path, prop in body_properties(document, content.get("schema", {}), ()):
            yield "body", path, prop, content_type


def id_fields(document: dict) -> list[IdField]:
    """Every field of a JSON body or a query that declares the kind of id it takes."""
    found = []
    for label, _, _, operation in operations(document):
        for location, path, prop, content_type in _fields_of(document, operation):
            if location == "body" and content_type != "application/json":
                continue  # the same fields as the JSON body (evidence): probed there
            items = deref(document, prop.get("items", {})) if prop.get("type") == "array" else {}
            if ID_KIND in prop or ID_KIND in items:
                found.append(IdField(label, location, path, prop.get(ID_KIND) or items[ID_KIND],
                                     many=ID_KIND not in prop))
    return found


def undeclared_id_fields(document: dict) -> list[str]:
    """Request fields named like ids (``*_id``, ``*_ids``) that do not say which kind they take."""
    missing = []
    for label, _, _, operation in operations(document):
        for location, path, prop, content_type in _fields_of(document, operation):
            items = deref(document, prop.get("items", {})) if prop.get("type") == "array" else {}
            if ID_NAME.match(str(path[-1])) and ID_KIND not in prop and ID_KIND not in items:
                missing.append(f"{label} {location} {'.'.join(map(str, path))} {content_type}".rstrip())
    return missing


def missing_examples(document: dict, examples: dict) -> set[str]:
    """Operations taking ids without an example request: the tenancy test cannot probe them yet."""
    return {f.operation for f in id_fields(document)} - set(examples)


def undocumented_404(document: dict) -> set[str]:
    taking_ids = {f.operation for f in id_fields(document)}
    return {label for label, _, _, operation in operations(document)
            if label in taking_ids and "404" not in operation.get("responses", {})}


def _caller_trust(call: Call) -> str:
    token = call.headers["Authorization"].split(" ", 1)[1]
    return jwt.decode(token, options={"verify_signature": False})["trust_id"]


def _has(value: Any, path: tuple) -> bool:
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not value:
                return False
            value = value[0]
        elif isinstance(value, dict) and value.get(step) is not None:
            value = value[step]
        else:
            return False
    return True


def _replaced(body: dict, path: tuple, bad: str, many: bool) -> dict:
    changed = copy.deepcopy(body)
    holder: Any = changed
    for step in path[:-1]:
        holder = holder[step]
    # A list keeps its valid ids and gains the bad one: one stranger among friends is still refused.
    holder[path[-1]] = [*holder[path[-1]], bad] if many else bad
    return changed


def snapshot(runtime: Runtime) -> dict[str, list]:
    """Every row of every table the service has (the kit's: outbox, inbox, idempotency keys...)."""
    with runtime.engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(select(table)).all()))
                for table in (*kit_metadata.sorted_tables, *runtime.spec.metadata.sorted_tables)}


def foreign_id(runtime: Runtime, kind: str, trust_id: str) -> str | None:
    """A real id of ``kind`` that another trust than ``trust_id`` holds."""
    with runtime.engine.connect() as conn:
        return runtime.id_kinds[kind].elsewhere(Session(bind=conn), trust_id)


def _send(client, method: str, call: Call, body: dict | None, query: dict):
    return client.open(call.path, method=method, headers=call.headers, json=body, query_string=query)


def document_problems(client, runtime: Runtime, examples: dict) -> list[str]:
    """What the document alone shows wrong: an id field without its kind, a kind the service cannot
    look up, an operation taking ids with no example to probe it or no 404 documented."""
    document = openapi(client)
    unknown_kinds = {f.kind for f in id_fields(document)} - set(runtime.id_kinds)
    return [*(f"undeclared kind: {name}" for name in undeclared_id_fields(document)),
            *(f"kind not in the service's id_kinds: {kind}" for kind in sorted(unknown_kinds)),
            *(f"no example for {label}" for label in sorted(missing_examples(document, examples))),
            *(f"404 not documented for {label}" for label in sorted(undocumented_404(document)))]


def probe_operation(client, runtime: Runtime, label: str, calls: list[Call]) -> list[str]:
    """Everything wrong with how one operation treats foreign and unknown ids (empty: nothing)."""
    document = openapi(client)
    method = label.split(" ", 1)[0]
    problems = []
    for id_field in [f for f in id_fields(document) if f.operation == label]:
        where = "body" if id_field.location == "body" else "query"
        call = next((c for c in calls if where == "query" or _has(c.body, id_field.path)), None)
        if call is None:
            problems.append(f"{label}: no example sets {id_field.name}")
            continue
        foreign = foreign_id(runtime, id_field.kind, _caller_trust(call))
        if foreign is None:
            problems.append(f"{label}: the test's world has no other trust's {id_field.kind} to send")
        for what, bad in (("another trust's", foreign), ("a random", str(uuid.uuid4()))):
            if bad is None:
                continue
            before = snapshot(runtime)
            if where == "body":
                response = _send(client, method, call, _replaced(call.body, id_field.path, bad, id_field.many),
                                 call.query)
            else:
                response = _send(client, method, call, call.body, {**call.query, id_field.name: bad})
            errors = (response.get_json(silent=True) or {}).get("errors", {})
            if response.status_code not in (404, 422) or not names_field(errors, id_field.path):
                problems.append(f"{label}: {what} {id_field.kind} as {id_field.name} answered "
                                f"{response.status_code} {json.dumps(errors)[:200]}")
            if snapshot(runtime) != before:
                problems.append(f"{label}: {what} {id_field.kind} as {id_field.name} wrote something")
    for call in calls:
        response = _send(client, method, call, call.body, call.query)
        if not 200 <= response.status_code < 300:
            problems.append(f"{label}: the example itself answered {response.status_code} "
                            f"{response.get_data(as_text=True)[:300]}")
    return problems

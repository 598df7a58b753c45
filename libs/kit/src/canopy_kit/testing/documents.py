"""Reading a service's own OpenAPI document, for the generated tests that walk it (tenancy,
hostile input, visibility): its operations, the properties of a request body at any depth, and
whether an error body names a field."""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from canopy_kit.web.ids import ID_KIND

METHODS = ("get", "post", "put", "patch", "delete")


class Operation(NamedTuple):
    label: str  # "POST /v1/templates", the path as the document writes it
    route: str
    path_item: dict  # what the document says for the route (its shared parameters)
    spec: dict  # what it says for this method


def openapi(client) -> dict:
    return client.get("/openapi.json").get_json()


def operations(document: dict) -> Iterator[Operation]:
    for route, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield Operation(f"{method.upper()} {route}", route, item, item[method])


def schema_ref(ref: str) -> list[str]:
    return ref.removeprefix("#/").split("/")


def deref(document: dict, schema: dict) -> dict:
    seen = 0
    while "$ref" in schema and seen < 20:  # a chain of references, never a cycle
        target: Any = document
        for part in schema_ref(schema["$ref"]):
            target = target[part]
        schema, seen = target, seen + 1
    return schema


def body_properties(document: dict, schema: dict, path: tuple = (), depth: int = 0) -> Iterator[tuple[tuple, dict]]:
    """Every property of a body schema, at any depth, with its path (0 stands for a list's
    element). An id field is a leaf: what it holds is not walked."""
    schema = deref(document, schema)
    if depth > 10:
        return
    if schema.get("type") == "array" and "items" in schema:
        yield from body_properties(document, schema["items"], path + (0,), depth + 1)
    for combined in ("allOf", "anyOf", "oneOf"):  # a nullable nested schema: {"anyOf": [{"$ref"}, null]}
        for alternative in schema.get(combined, []):
            yield from body_properties(document, alternative, path, depth + 1)
    for name, prop in schema.get("properties", {}).items():
        prop = deref(document, prop)
        yield path + (name,), prop
        if ID_KIND not in prop:
            yield from body_properties(document, prop, path + (name,), depth + 1)


def names_field(errors: Any, path: tuple) -> bool:
    """Does an error body's ``errors`` name the field at ``path`` (as marshmallow nests it)?"""
    for step in path:
        if not isinstance(errors, dict):
            return False
        errors = errors.get(str(step), errors.get(step)) if isinstance(step, int) else errors.get(step)
        if errors is None:
            return False
    return True

"""What the OpenAPI document says about every operation, so that it tells the truth.

A view declares what only it knows: its success schema, the error statuses its own logic gives
(``error_responses``), other representations of its answer (``other_content``, ``file_content``).
``OperationConventions`` adds what follows from the kit, for every operation of every service: an
``operationId`` from the blueprint and view names, the 400/413/422 a request body or query can
earn, the ``Idempotency-Key`` header of ``@idempotent`` views, and an example of the answer built
from the schema (a field's ``metadata={"example": ...}`` wins over what its type suggests).
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any, Iterable

from apispec import BasePlugin

# Statuses any operation may answer without saying so: they are the documented ``default``.
UNDECLARED_STATUSES = frozenset({500, 503})


def error_responses(blueprint, *statuses: int | tuple[int, str]):
    """``@error_responses(blp, 403, 404, (409, "Already submitted"))`` under ``@blp.route``: each
    status documented with the platform's error body, and with what it means here when a
    description is given. The one way a view declares its errors."""
    from canopy_kit.web.errors import ErrorSchema

    def decorate(view):
        for status in statuses:
            if isinstance(status, tuple):
                status, description = status
                view = blueprint.alt_response(status, schema=ErrorSchema, description=description)(view)
            else:
                view = blueprint.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate


def other_content(blueprint, content_type: str, description: str, status: int = 200):
    """``@other_content(blp, "text/csv", "the rows as a spreadsheet")``: the same answer in another
    representation (a query parameter chooses it), documented next to the JSON one."""
    # Added to the status's content, leaving its description and JSON schema as they are.
    return blueprint.doc(responses={status: {"content": {
        content_type: {"schema": {"type": "string", "description": description}}}}})


def file_content(blueprint, content_types: Iterable[str], description: str, status: int = 200):
    """``@file_content(blp, ["application/pdf", ...], "the file")``: an answer that is a file, in
    one of ``content_types``."""

    def decorate(view):
        for content_type in sorted(set(content_types)):
            view = blueprint.alt_response(status, schema={"type": "string", "format": "binary"},
                                          content_type=content_type, description=description, success=True)(view)
        return view

    return decorate


def operation_id(endpoint: str, method: str, methods: int) -> str:
    """``people.list_people`` -> ``people_list_people``: unique, since endpoints are; the method is
    added only where one view answers several."""
    name = endpoint.replace(".", "_")
    return f"{name}_{method.lower()}" if methods > 1 else name


def _status_codes(responses: dict) -> set[str]:
    return {str(int(code)) for code in responses if code != "default"}


class OperationConventions(BasePlugin):
    """An apispec plugin: runs for every operation as its blueprint is registered."""

    def __init__(self, app):
        self.app = app
        self.spec = None

    def init_spec(self, spec):
        self.spec = spec

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        from canopy_kit.web.idempotency import IDEMPOTENCY_PARAMETER

        view = self.app.view_functions.get(rule.endpoint)
        for method, operation in operations.items():
            operation.setdefault("operationId", operation_id(rule.endpoint, method, len(operations)))
            responses = operation.setdefault("responses", {})
            declared = _status_codes(responses)
            inputs = "requestBody" in operation or any(p.get("in") == "query" for p in operation.get("parameters", []))
            added = ({400, 413, 422} if "requestBody" in operation else {422} if inputs else set())
            if rule.arguments:  # a segment that can name nothing is 404 (canopy_kit.web.inputs)
                added.add(404)
            if getattr(view, "_canopy_idempotent", False) and method.lower() == "post":
                operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_PARAMETER))
                added |= {400, 422}
            for status in sorted(added):
                if str(status) not in declared:
                    responses[str(status)] = HTTPStatus(status).name
            for status, response in list(responses.items()):
                if str(status).startswith("2") and isinstance(response, dict):
                    self._add_example(response)

    def _add_example(self, response: dict) -> None:
        media = response.get("content", {}).get("application/json")
        if media is None or "example" in media or "examples" in media or "schema" not in media:
            return
        media["example"] = example_of(media["schema"], self._schemas())

    def _schemas(self) -> dict[str, Any]:
        return self.spec.components.schemas if self.spec is not None else {}


_FORMAT_EXAMPLES = {"date": "2026-11-02", "date-time": "2026-11-02T09:30:00+00:00",
                    "uuid": "0b5e1c2e-7a4f-4c1e-9a57-3f0d2b6c9e41", "email": "ada@oak.example.org",
                    "uri": "https://example.org/evidence", "url": "https://example.org/evidence"}


def example_of(schema: dict, components: dict[str, Any], depth: int = 0) -> Any:
    """An instance of ``schema`` made from its examples, defaults, enums, bounds and formats."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref:
        target = components.get(ref.rsplit("/", 1)[-1])
        return example_of(target, components, depth) if isinstance(target, dict) and depth < 8 else {}
    for key in ("example", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    if "allOf" in schema:
        return example_of(schema["allOf"][0], components, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: example_of(prop, components, depth + 1)
                for name, prop in schema.get("properties", {}).items()
                if not prop.get("writeOnly")} if depth < 8 else {}
    if kind == "array":
        item = example_of(schema.get("items", {}), components, depth + 1)
        return [item] if depth < 8 else []
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        return max(low, 1) if schema.get("maximum") is None or schema["maximum"] >= 1 else low
    if kind == "boolean":
        return True
    if kind == "string":
        if schema.get("format") in _FORMAT_EXAMPLES:
            return _FORMAT_EXAMPLES[schema["format"]]
        return "a" * max(schema.get("minLength", 1), 1) if "maxLength" in schema or "minLength" in schema else "text"
    return None

"""Holding a service to its own OpenAPI document, in every test.

``DocumentedClient`` is the test client of every app made with ``create_service_app(...,
testing=True)``: each answer a test receives is checked against the operation the request reached
(its status is declared, its content type is documented for that status, its JSON body validates
against the schema, ``Idempotency-Key`` and ``If-Match`` are declared where a test sends them), and
a mismatch fails the test that saw it. ``document_problems`` checks what every operation of a
document must carry (operationId, summary, example, error statuses) and that the document is valid
OpenAPI.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from canopy_kit.web.docs import UNDECLARED_STATUSES

# Endpoints that are not API operations: probes, metrics, the document itself.
UNDOCUMENTED_ENDPOINTS = re.compile(r"^(health\.|metrics$|api-docs\.|static$)")
CHECKED_REQUEST_HEADERS = ("Idempotency-Key", "If-Match")


def openapi_path(rule: str) -> str:
    """Flask's ``/v1/x/<int:id>`` as OpenAPI's ``/v1/x/{id}`` (as flask-smorest writes it)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


@dataclass
class Document:
    spec: dict[str, Any]
    validators: dict[tuple, OAS30ReadValidator] = field(default_factory=dict)

    @classmethod
    def of(cls, app) -> "Document":
        document = app.extensions.get("canopy_document")
        if document is None:
            api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
            document = app.extensions["canopy_document"] = cls(json.loads(json.dumps(api.spec.to_dict())))
        return document

    def resolve(self, item: dict) -> dict:
        while isinstance(item, dict) and "$ref" in item and item["$ref"].startswith("#/components/"):
            section, name = item["$ref"].split("/")[2:4]
            item = self.spec["components"][section][name]
        return item

    def validator(self, key: tuple, schema: dict) -> OAS30ReadValidator:
        if key not in self.validators:
            rooted = {**schema, "components": self.spec.get("components", {})}  # so "#/components/..." resolves
            self.validators[key] = OAS30ReadValidator(rooted, format_checker=oas30_format_checker)
        return self.validators[key]


def _media_matches(documented: str, actual: str) -> bool:
    kind, _, sub = documented.partition("/")
    actual_kind, _, actual_sub = actual.partition("/")
    return documented == "*/*" or (kind == actual_kind and sub in ("*", actual_sub))


def answer_problems(app, request, response) -> list[str]:
    """Where ``response`` (to ``request``) disagrees with ``app``'s document; [] when it agrees or
    the request reached no operation (an unknown path, a wrong method: nothing to compare with)."""
    try:
        rule, _ = app.url_map.bind("localhost").match(request.path, method=request.method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return []
    if request.method in ("HEAD", "OPTIONS") or UNDOCUMENTED_ENDPOINTS.match(rule.endpoint):
        return []
    document = Document.of(app)
    path = openapi_path(rule.rule)
    label = f"{request.method} {path}"
    operation = document.spec["paths"].get(path, {}).get(request.method.lower())
    if operation is None:
        return [f"{label} is not in the OpenAPI document"]
    problems = [f"{label}: the request's {name} header is not a documented parameter"
                for name in CHECKED_REQUEST_HEADERS if name in request.headers and not any(
                    p.get("in") == "header" and p.get("name", "").lower() == name.lower()
                    for p in map(document.resolve, operation.get("parameters", [])))]
    status = str(response.status_code)
    responses = operation["responses"]
    if status in responses:
        documented = document.resolve(responses[status])
    elif response.status_code in UNDECLARED_STATUSES and "default" in responses:
        documented = document.resolve(responses["default"])
    else:
        declared = ", ".join(sorted(code for code in responses if code != "default"))
        body = response.get_data(as_text=True)[:300]
        return problems + [f"{label} answered {status}, which it does not document (it declares {declared}): {body}"]
    return problems + _content_problems(document, label, status, documented, response)


def _content_problems(document: Document, label: str, status: str, documented: dict, response) -> list[str]:
    content = documented.get("content") or {}
    body = response.get_data()
    if not content:
        return [f"{label} {status}: a body the document does not describe ({response.mimetype})"] if body else []
    mimetype = response.mimetype or ""
    media_type = next((m for m in content if _media_matches(m, mimetype)), None)
    if media_type is None:
        return [f"{label} {status}: content type {mimetype!r} is not documented (documented: {', '.join(content)})"]
    schema = content[media_type].get("schema")
    if not (mimetype == "application/json" or mimetype.endswith("+json")) or not schema:
        return []
    try:
        instance = json.loads(body)
    except ValueError:
        return [f"{label} {status}: the body is not valid JSON: {body[:200]!r}"]
    validator = document.validator((label, status, media_type), schema)
    return [f"{label} {status}: {'/'.join(map(str, error.absolute_path)) or 'the body'}: {error.message}"
            for error in list(validator.iter_errors(instance))[:5]]


class DocumentedClient(FlaskClient):
    """A test client that fails a request whose answer the document does not describe."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        problems = answer_problems(self.application, response.request, response)
        if problems:
            raise AssertionError("the answer disagrees with the OpenAPI document:\n  " + "\n  ".join(problems))
        return response


# -- what every operation of every document must carry ---------------------------------------------

def document_problems(spec: dict[str, Any]) -> list[str]:
    """What is invalid or missing in ``spec``: OpenAPI validity, then per operation an operationId
    (unique), a summary, an example of the success answer, the error statuses its inputs can earn,
    and 401 where it takes a token."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    problems = []
    try:
        validate(spec)
    except OpenAPIValidationError as exc:
        problems.append(f"the document is not valid OpenAPI: {exc.message}")
    document = Document(spec)
    problems += _ambiguous_paths(document)
    seen: dict[str, str] = {}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            label = f"{method.upper()} {path}"
            problems += _operation_problems(document, label, operation, seen)
    return problems


def _segment_excludes(document: Document, path: str, name: str, literal: str) -> bool:
    """Does the path parameter ``name`` refuse ``literal`` (so routing never confuses them)?"""
    item = document.spec["paths"][path]
    declared = [document.resolve(p) for p in item.get("parameters", [])]
    declared += [document.resolve(p) for op in item.values() if isinstance(op, dict)
                 for p in op.get("parameters", []) if isinstance(p, dict)]
    schema = next((p.get("schema", {}) for p in declared if p.get("in") == "path" and p.get("name") == name), {})
    if schema.get("type") == "integer":
        return not literal.isdigit()
    if schema.get("format") == "uuid":
        return not re.fullmatch(r"[0-9a-fA-F-]{36}", literal)
    return bool(schema.get("pattern")) and not re.search(schema["pattern"], literal)


def _ambiguous_paths(document: Document) -> list[str]:
    """``/activities/{activity_id}`` beside ``/activities/assignments``: the parameter must refuse
    the literal, or a GET of the literal would reach the parameter's view."""
    paths = list(document.spec.get("paths", {}))
    problems = []
    for path in paths:
        segments = path.split("/")
        for other in paths:
            others = other.split("/")
            if other == path or len(others) != len(segments):
                continue
            for index, (mine, theirs) in enumerate(zip(segments, others)):
                if mine == theirs:
                    continue
                if (mine.startswith("{") and not theirs.startswith("{") and segments[:index] == others[:index]
                        and not _segment_excludes(document, path, mine[1:-1], theirs)):
                    problems.append(f"{path}: {mine} would also match {other}'s {theirs!r}; declare it an id "
                                    f"(<id:...>) or an int")
                break
    return problems


def _operation_problems(document: Document, label: str, operation: dict, seen: dict[str, str]) -> list[str]:
    problems = []
    op_id = operation.get("operationId")
    if not op_id:
        problems.append(f"{label}: no operationId")
    elif op_id in seen:
        problems.append(f"{label}: operationId {op_id} is also {seen[op_id]}'s")
    else:
        seen[op_id] = label
    if not (operation.get("summary") or "").strip():
        problems.append(f"{label}: no summary (the view's docstring)")
    responses = operation.get("responses", {})
    codes = {code for code in responses if code != "default"}
    successes = sorted(code for code in codes if code.startswith("2"))
    if not successes:
        problems.append(f"{label}: no success status")
    if "default" not in responses:
        problems.append(f"{label}: no default error body (500, 503)")
    needed = set()
    if "requestBody" in operation:
        needed |= {"400", "422"}
    parameters = [document.resolve(p) for p in operation.get("parameters", [])]
    if any(p.get("in") == "query" for p in parameters):
        needed.add("422")
    if any(p.get("in") == "header" and p.get("name") == "Idempotency-Key" for p in parameters):
        needed |= {"400", "422"}  # a malformed key; a key reused with another body
    if operation.get("security"):
        needed.add("401")
    problems += [f"{label}: does not document {code}" for code in sorted(needed - codes)]
    if successes and not any(_has_example(document.resolve(responses[code])) for code in successes):
        problems.append(f"{label}: no example of its answer")
    for code in successes:
        problems += [f"{label} {code}: {p}" for p in _example_problems(document, label, code, responses[code])]
    return problems


def _has_example(response: dict) -> bool:
    content = response.get("content")
    if not content:
        return response.get("description") is not None  # 204: nothing to show but that it happened
    return any("example" in media or "examples" in media or media.get("schema", {}).get("type") == "string"
               for media in content.values())


def _example_problems(document: Document, label: str, status: str, response: dict) -> list[str]:
    media = (document.resolve(response).get("content") or {}).get("application/json") or {}
    if "example" not in media or "schema" not in media:
        return []
    validator = document.validator((label, status, "example"), media["schema"])
    return [f"its example does not fit its schema: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in list(validator.iter_errors(media["example"]))[:3]]

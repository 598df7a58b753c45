"""The shape of a service (ADR 0019), checked: ``shape_problems(spec)`` lists what breaks it.

Every service has the same places, so that who knows one knows all; the layers keep to their side:
``domain/`` is plain Python, ``api/`` only parses, calls and responds, nothing below ``api/`` speaks
HTTP, and a subscription names only events some contract defines.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path

from canopy_contracts import default_registry
from canopy_kit.service import ENTRY_POINT_GROUP, ServiceSpec, unknown_routing_keys

# Each place, and what lives there. A place is a module (``x.py``) or a package (``x/``); those
# marked "either" may be one or the other as they grow.
PLACES = {
    "service": "the ServiceSpec: wires the places together, nothing else",
    "settings": "the service's own typed settings, one default each",
    "domain": "rules as plain Python, raising canopy_kit.errors",
    "tables": "the SQLAlchemy tables the migrations must agree with",
    "queries": "reads: what the API and the commands look up",
    "access": "the access policy: who may read or change what",
    "commands": "command handlers: one change and its events, called by the API and the demo",
    "event_handlers": "what the service does with events, called by its consumer",
    "subscriptions": "which events go to which event handler, declaratively",
    "api": "flask-smorest blueprints and schemas: parse, call, respond",
    "demo": "demo data, written through the commands",
}
PACKAGES = {"domain", "commands", "event_handlers", "api"}  # always folders: they grow one module per concept
# Places a service has only when it plays that part: its own event handlers (beside the kit's
# directory projection), demo data.
WHEN = {
    "event_handlers": lambda source: bool(source.own_handlers()),
    "demo": lambda source: source.spec.load_demo is not None,
}
SERVICE_FOLDERS = ("migrations/versions", "tests/unit", "tests/integration")

# What plain Python means for domain/: no framework, no database, no bus, no web.
DOMAIN_FORBIDDEN = ("flask", "flask_smorest", "werkzeug", "webargs", "marshmallow", "sqlalchemy", "psycopg",
                    "kombu", "canopy_kit.web", "canopy_kit.db", "canopy_kit.bus",
                    "canopy_kit.projections")
# What speaks HTTP or needs a request: allowed in api/ (and the wiring in service.py) only.
HTTP_ONLY = ("flask", "flask_smorest", "werkzeug", "webargs", "canopy_kit.web")
# Calls that write: the API hands changes to commands instead.
WRITE_CALLS = {"execute", "publish", "publish_many", "add", "add_all", "merge", "delete", "commit", "flush"}


@dataclass(frozen=True)
class ServiceSource:
    spec: ServiceSpec
    package: str
    root: Path  # src/<package>

    @property
    def service_dir(self) -> Path:
        return self.root.parents[1]

    def place(self, name: str) -> Path | None:
        for candidate in (self.root / name, self.root / f"{name}.py"):
            if candidate.exists():
                return candidate
        return None

    def own_handlers(self) -> list[tuple[str, str]]:
        """``(event type, module)`` of each handler the service registers that is not the kit's."""
        return [(event_type, handler.__module__) for event_type, handler in self.spec.subscriptions().handlers()
                if not handler.__module__.startswith("canopy_kit.")]

    def modules(self, under: Path | None = None):
        base = under or self.root
        yield from sorted(base.rglob("*.py") if base.is_dir() else [base])

    def dotted(self, path: Path) -> str:
        relative = path.relative_to(self.root.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)


def installed_sources() -> list[ServiceSource]:
    found = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        package = entry.module.split(".")[0]
        root = Path(import_module(package).__file__).parent
        found.append(ServiceSource(entry.load(), package, root))
    return found


def imported_modules(path: Path, dotted: str) -> list[tuple[int, str]]:
    """Every module ``path`` imports, at any depth of the file (function-level imports count)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = dotted.split(".") if path.name == "__init__.py" else dotted.split(".")[:-1]
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.append((node.lineno, module))
            names += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return names


def _first_hits(imports: list[tuple[int, str]], prefixes) -> list[tuple[int, str]]:
    """One finding per import statement: ``from flask import g, request`` is one import of flask."""
    hits = {}
    for line, module in imports:
        if line not in hits and (hit := _matches(module, prefixes)):
            hits[line] = hit
    return sorted(hits.items())


def _matches(module: str, prefixes) -> str | None:
    return next((p for p in prefixes if module == p or module.startswith(p + ".")), None)


def shape_problems(source: ServiceSource) -> list[str]:
    """Every way ``source`` departs from the shape, one line each (empty: it keeps the shape)."""
    problems = _place_problems(source) + _layer_problems(source) + _subscription_problems(source)
    return [f"{source.spec.name}: {problem}" for problem in dict.fromkeys(problems)]


def _place_problems(source: ServiceSource) -> list[str]:
    problems, package = [], source.package
    for place, what in PLACES.items():
        found = source.place(place)
        if found is None and not WHEN.get(place, lambda _source: True)(source):
            continue
        if found is None:
            problems.append(f"no {package}/{place}{'/' if place in PACKAGES else '.py'} ({what})")
        elif place in PACKAGES and found.suffix == ".py":
            problems.append(f"{package}/{place}.py is a module; it is a package in every service")
    problems += [f"no {folder}/" for folder in SERVICE_FOLDERS if not (source.service_dir / folder).is_dir()]
    problems += [f"{package}/{old} is an old place; ADR 0019 says where its parts live now"
                 for old in ("handlers", "db", "events", "app", "directory") if source.place(old) is not None]
    return problems


def _layer_problems(source: ServiceSource) -> list[str]:
    problems, package = [], source.package
    domain, api = source.place("domain"), source.place("api")
    below_domain = DOMAIN_FORBIDDEN + tuple(f"{package}.{p}" for p in ("tables", "queries", "api", "commands",
                                                                      "access", "event_handlers"))
    for path in source.modules(domain) if domain else ():
        problems += [f"{_where(source, path, line)} imports {hit} (domain/ is plain Python)"
                     for line, hit in _first_hits(imported_modules(path, source.dotted(path)), below_domain)]
    for path in source.modules():
        in_api = api is not None and (path == api or api in path.parents)
        if in_api or source.dotted(path).split(".")[1:2] in (["service"], ["cli"]):  # the wiring, the CLI
            continue
        problems += [f"{_where(source, path, line)} imports {hit} (only api/ speaks HTTP)"
                     for line, hit in _first_hits(imported_modules(path, source.dotted(path)), HTTP_ONLY)]
    for path in source.modules(api) if api else ():
        problems += _api_problems(source, path)
    return problems


def _api_problems(source: ServiceSource, path: Path) -> list[str]:
    problems = []
    imports = imported_modules(path, source.dotted(path))
    for line, hit in _first_hits(imports, ("sqlalchemy", f"{source.package}.tables")):
        problems.append(f"{_where(source, path, line)} imports {hit} (api/ reads through queries)")
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITE_CALLS and _on_session_or_uow(node.func.value)):
            problems.append(f"{_where(source, path, node.lineno)} calls .{node.func.attr}() "
                            "(api/ reads through queries, changes through commands)")
    return problems


def _on_session_or_uow(value: ast.expr) -> bool:
    """``uow.publish``, ``session.execute``, ``current_uow().session.add``: a unit of work or session."""
    text = ast.unparse(value)
    return any(word in text for word in ("uow", "session"))


def _subscription_problems(source: ServiceSource) -> list[str]:
    problems = [f"subscribes to {key!r}, which no contract defines"
                for key in unknown_routing_keys(source.spec.subscriptions(), default_registry())]
    misplaced: dict[str, list[str]] = {}
    for event_type, module in source.own_handlers():
        if not module.startswith(f"{source.package}.event_handlers"):
            misplaced.setdefault(module, []).append(event_type)
    problems += [f"{module} handles {', '.join(sorted(set(types)))}: event handlers live in "
                 f"{source.package}.event_handlers" for module, types in misplaced.items()]
    return problems


def _where(source: ServiceSource, path: Path, line: int) -> str:
    return f"{path.relative_to(source.root.parent)}:{line}"

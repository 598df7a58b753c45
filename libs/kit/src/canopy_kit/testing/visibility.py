"""List and detail agree, everywhere: every list endpoint of a service shows exactly what its caller
may open by id, for every kind of caller.

The lists are found in the service's OpenAPI document (a GET answering a page, see
``canopy_kit.web.pagination.page_schema``), so a new list is checked without editing a test. An
item's own GET is found there too (``<list path>/{id}``, or the one GET taking only an id that
answers the item's fields); where there is none, the service's ``LISTS`` rule decides
(``canopy_kit.auth.permissions.ListRule``, beside the service's permission checks). A list the
check cannot classify is a failure that says how to declare it.

The world is one small trust (three schools and a group of two, a transfer, a part-time person in
two schools, line managers, school, group and trust roles, several roles at once) and a second
trust; ``seed`` writes it through a ``Writer``: the directory projection for most services
(``ProjectedWriter``), identity's own tables for identity.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Protocol

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from canopy_kit.auth.permissions import ListRule, Permissions
from canopy_kit.auth.principal import Grant, Principal
from canopy_kit.db.tables import access_log
from canopy_kit.projections.directory import ProjectedDirectory
from canopy_kit.service import Runtime, ServiceSpec
from canopy_kit.testing.harness import ServiceHarness, StaffDirectory
from canopy_kit.testing.documents import openapi
from canopy_kit.testing.helpers import prepare_database
from canopy_kit.web.access_log import LIST_RULE as ACCESS_LOG_RULE
from canopy_kit.web.app import create_service_app

PAGING = frozenset({"page", "page_size"})
PAGE_FIELDS = frozenset({"items", "page", "page_size", "total"})
START, MOVED = date(2024, 9, 1), date(2025, 9, 1)  # Mo moves from Ash to Birch on MOVED


# --- the lists of an OpenAPI document -------------------------------------------------------

@dataclass(frozen=True)
class ListOperation:
    path: str  # as the document writes it: /v1/people/{person_id}/activities
    item: str  # the item schema's name
    fields: dict[str, dict]  # the item's properties
    path_params: tuple[str, ...]
    filters: dict[str, dict]  # query parameters other than paging: name -> schema
    detail: str | None  # the item's own GET, or None


def _ref(schema: dict | None) -> str | None:
    return (schema or {}).get("$ref", "").rsplit("/", 1)[-1] or None


def _answer(operation: dict) -> str | None:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    return _ref(content.get("application/json", {}).get("schema"))


def _params(path_item: dict, operation: dict, where: str) -> dict[str, dict]:
    found = [*path_item.get("parameters", []), *operation.get("parameters", [])]
    return {p["name"]: p.get("schema", {}) for p in found if p.get("in") == where}


def _detail(document: dict, list_path: str, item: str) -> str | None:
    paths, schemas = document["paths"], document["components"]["schemas"]
    under = [p for p, ops in paths.items() if "get" in ops and p.startswith(list_path + "/{") and p.endswith("}")
             and p.count("/") == list_path.count("/") + 1]
    if len(under) == 1:
        return under[0]
    wanted = set(schemas[item].get("properties", {}))
    answering = [p for p, ops in paths.items() if "get" in ops and len(_params(ops, ops["get"], "path")) == 1
                 and p.endswith("}") and (name := _answer(ops["get"])) is not None
                 and wanted <= set(schemas.get(name, {}).get("properties", {}))]
    return answering[0] if len(answering) == 1 else None


def list_operations(document: dict) -> list[ListOperation]:
    """Every GET of the document whose answer is a page of items."""
    schemas, found = document["components"]["schemas"], []
    for path, path_item in document["paths"].items():
        operation = path_item.get("get")
        page = schemas.get(_answer(operation) or "") if operation else None
        if not page or set(page.get("properties", {})) != PAGE_FIELDS:
            continue
        item = _ref(page["properties"]["items"].get("items"))
        found.append(ListOperation(
            path=path, item=item, fields=schemas[item].get("properties", {}),
            path_params=tuple(_params(path_item, operation, "path")),
            filters={n: s for n, s in _params(path_item, operation, "query").items() if n not in PAGING},
            detail=_detail(document, path, item)))
    return found


# --- the world ------------------------------------------------------------------------------

@dataclass
class Caller:
    key: str  # who they are in the world, for messages: "maya"
    principal: Principal
    headers: dict


class Writer(Protocol):
    """Puts the world somewhere: the directory projection, or identity's tables."""

    def trust(self, key: str) -> str: ...

    def school(self, key: str) -> str: ...

    def group(self, key: str, school_ids: list[str]) -> str: ...

    def person(self, key: str) -> str: ...

    def employ(self, person_id: str, school_id: str, starts_on: date, ends_on: date | None = None,
               fte: float = 1.0) -> None: ...

    def grant(self, person_id: str, role: str, scope_type: str, scope_id: str) -> None: ...

    def manage(self, manager_id: str, person_id: str, school_id: str, starts_on: date) -> None: ...

    def caller(self, key: str, person_id: str) -> Caller: ...


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)  # key -> id, for schools, groups, people, trusts
    trust_of: dict[str, str] = field(default_factory=dict)  # person key -> trust key
    callers: list[Caller] = field(default_factory=list)

    def __getitem__(self, key: str) -> str:
        return self.ids[key]

    def people(self, trust: str | None = None) -> list[str]:
        return [k for k, t in self.trust_of.items() if trust is None or t == trust]


def seed(writer: Writer) -> World:
    """Oak: Ash, Birch and Cedar, the group "north" (Ash and Birch). Tom teaches at Ash, managed by
    Maya (no role); Bea teaches at Birch; Mo moved from Ash to Birch and Bo manages him there; Pat
    works part-time at Ash and Cedar, managed at Ash by Hana, Ash's head; Hugo heads Birch; Sol is
    a senior leader at Cedar, a CPD lead and a coach at Ash at once; Gia is a senior leader for the
    north group; Cleo coaches at Ash; Cara is Birch's CPD lead and school admin; Nico teaches at
    Cedar with no role; Lena is a trust leader, Ada a trust admin, Tia the trust's CPD lead.
    Elm: one school (Willow), Eli its head and Eve a teacher."""
    w, world = writer, World()

    def person(key: str, trust: str, *jobs: tuple[str, date, date | None, float]) -> str:
        world.ids[key], world.trust_of[key] = w.person(key), trust
        for school, starts, ends, fte in jobs:
            w.employ(world[key], world[school], starts, ends, fte)
        return world[key]

    def full(school: str) -> tuple[str, date, None, float]:
        return (school, START, None, 1.0)

    world.ids["oak"] = w.trust("oak")
    for school in ("ash", "birch", "cedar"):
        world.ids[school] = w.school(school)
    world.ids["north"] = w.group("north", [world["ash"], world["birch"]])
    for key in ("tom", "maya", "cleo", "hana"):
        person(key, "oak", full("ash"))
    for key in ("bea", "bo", "hugo", "gia", "cara"):
        person(key, "oak", full("birch"))
    person("mo", "oak", ("ash", START, date(2025, 8, 31), 1.0), ("birch", MOVED, None, 1.0))
    person("pat", "oak", ("ash", START, None, 0.5), ("cedar", START, None, 0.5))
    person("sol", "oak", full("cedar"))
    person("nico", "oak", full("cedar"))
    for key in ("lena", "ada", "tia"):
        person(key, "oak")
    for key, role, scope_type, scope in (
            ("hana", "headteacher", "school", "ash"), ("hugo", "headteacher", "school", "birch"),
            ("sol", "senior_leader", "school", "cedar"), ("sol", "cpd_lead", "school", "ash"),
            ("sol", "coach", "school", "ash"), ("gia", "senior_leader", "group", "north"),
            ("cleo", "coach", "school", "ash"), ("cara", "cpd_lead", "school", "birch"),
            ("cara", "school_admin", "school", "birch"), ("lena", "trust_leader", "trust", "oak"),
            ("ada", "trust_admin", "trust", "oak"), ("tia", "cpd_lead", "trust", "oak")):
        w.grant(world[key], role, scope_type, world[scope])
    w.manage(world["maya"], world["tom"], world["ash"], START)
    w.manage(world["bo"], world["mo"], world["birch"], MOVED)
    w.manage(world["hana"], world["pat"], world["ash"], START)

    world.ids["elm"] = w.trust("elm")
    world.ids["willow"] = w.school("willow")
    person("eli", "elm", full("willow"))
    person("eve", "elm", full("willow"))
    w.grant(world["eli"], "headteacher", "school", world["willow"])
    world.callers = [w.caller(key, world[key]) for key in world.trust_of]
    return world


class ProjectedWriter:
    """The world in a service's directory projection, written as identity's events through the
    service's own inbox (``StaffDirectory``), one directory per trust."""

    def __init__(self, harness: ServiceHarness):
        self.harness = harness
        self.of_person: dict[str, StaffDirectory] = {}
        self.groups: dict[str, list[str]] = {}

    def trust(self, key: str) -> str:
        self.current = StaffDirectory(self.harness, key)
        return self.current.trust_id

    def school(self, key: str) -> str:
        return self.current.school(key.title())

    def group(self, key: str, school_ids: list[str]) -> str:
        group_id = str(uuid.uuid4())
        self.groups[group_id] = list(school_ids)
        self.current.also("identity.group.created", {"group_id": group_id, "name": key.title(),
                                                      "school_ids": list(school_ids)})
        return group_id

    def person(self, key: str) -> str:
        person_id = self.current.person(key.title())
        self.of_person[person_id] = self.current
        return person_id

    def employ(self, person_id, school_id, starts_on, ends_on=None, fte=1.0) -> None:
        self.of_person[person_id].employ(person_id, school_id, starts_on=starts_on, ends_on=ends_on)

    def grant(self, person_id, role, scope_type, scope_id) -> None:
        directory = self.of_person[person_id]
        directory.grant(person_id, role, scope_type, scope_id)
        if scope_type == "group":  # a group grant's token carries its schools, as identity issues it
            directory.grants[person_id][-1]["schools"] = self.groups[scope_id]

    def manage(self, manager_id, person_id, school_id, starts_on) -> None:
        self.of_person[person_id].manage(manager_id, person_id, school_id, starts_on=starts_on)

    def caller(self, key: str, person_id: str) -> Caller:
        directory = self.of_person[person_id]
        grants = tuple(Grant.from_claim(c) for c in directory.grants.get(person_id, []))
        return Caller(key, Principal(person_id, directory.trust_id, grants), directory.headers(person_id))


def projected(spec: ServiceSpec, database_url: str, **settings) -> tuple[Runtime, ProjectedWriter]:
    """A service trusting test tokens, and a writer putting the world in its directory projection."""
    harness = ServiceHarness(spec, database_url, **settings)
    return harness.runtime, ProjectedWriter(harness)


def seed_access_log(runtime: Runtime, world: World) -> None:
    """Reads of everyone's records by a colleague, so every service's access log has entries."""
    rows, people = [], world.people()
    for i, key in enumerate(people):
        reader = people[(i + 1) % len(people)]
        rows.append({"trust_id": world[world.trust_of[key]],
                     "person_id": world[key], "reader_id": world[reader], "record_type": "seeded",
                     "record_id": world[key], "at": datetime(2026, 1, 5, tzinfo=timezone.utc)})
    with runtime.uow_factory() as uow:
        uow.session.execute(insert(access_log), rows)
        uow.commit()


# --- the check ------------------------------------------------------------------------------

@dataclass
class Lists:
    """What the check needs of a service."""

    client: Any  # its Flask test client
    runtime: Runtime
    world: World
    tables: dict[str, Table]  # item schema name -> the table its items are rows of
    rules: dict[str, ListRule]  # list path -> rule: the service's LISTS
    access: Callable[[Principal, Session], Any]  # the caller's access object, as the service builds it
    documented: str  # docs/permissions.md
    filter_values: dict[str, list[str]] = field(default_factory=dict)  # for filters that are not a column


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    lists: list[ListOperation] = field(default_factory=list)
    shown: Counter = field(default_factory=Counter)  # list path -> items callers were shown
    refused: Counter = field(default_factory=Counter)  # list path -> items kept from callers


def _key_fields(op: ListOperation, table: Table) -> tuple[str, ...]:
    if "id" in op.fields:
        return ("id",)
    return tuple(sorted(name for name, schema in op.fields.items()
                        if name in table.c and schema.get("format") not in ("date", "date-time")))


def _key(values, fields: tuple[str, ...]) -> tuple:
    return tuple(None if values[f] is None else str(values[f]) for f in fields)


def _listed(client, path: str, headers: dict, query: dict) -> tuple[list[dict] | None, str | None]:
    """Every page of a list; None when the caller is refused the list (403, 404) altogether."""
    items, page = [], 1
    while True:
        response = client.get(path, headers=headers, query_string={**query, "page": page, "page_size": 200})
        if response.status_code in (403, 404):
            return None, None
        if response.status_code != 200:
            return [], f"answered {response.status_code}: {response.get_data(as_text=True)[:200]}"
        body = response.get_json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items, None if len(items) == body["total"] else f"total {body['total']} but {len(items)} items"
        page += 1


def _classify(op: ListOperation, spec: Lists) -> str | None:
    where = "its service's LISTS (beside its permission checks, e.g. observation/access.py)"
    if op.item not in spec.tables:
        return (f"GET {op.path}: the check does not know which table its {op.item} items are rows of; "
                f"add it to the `tables` of the service's list-visibility test")
    rule = spec.rules.get(op.path)
    if op.detail is None and (rule is None or rule.allows is None):
        return (f"GET {op.path} lists {op.item} items with no item GET in the OpenAPI document to compare with: "
                f"add ListRule(description, allows=...) for {op.path!r} to {where}, or serve `{op.path}/{{id}}`")
    missing = [p for p in op.path_params if p not in spec.tables[op.item].c]
    if missing:
        return f"GET {op.path}: path parameters {missing} are not columns of {spec.tables[op.item].name}"
    if f"`{op.path}`" not in spec.documented:
        return f"GET {op.path} is not described in docs/permissions.md (section 'Lists'): say what it shows to whom"
    return None


def check_lists(spec: Lists) -> Report:
    """For every list, caller and binding of its path: what the list shows is exactly what the
    caller may open, whole and under each of its filters."""
    report = Report(lists=list_operations(openapi(spec.client)))
    spec.rules = {"/v1/me/access-log": ACCESS_LOG_RULE, **spec.rules}
    for op in report.lists:
        problem = _classify(op, spec)
        if problem:
            report.problems.append(problem)
            continue
        for caller in spec.world.callers:
            _check_one(spec, op, caller, report)
    return report


def _check_one(spec: Lists, op: ListOperation, caller: Caller, report: Report) -> None:
    table, rule = spec.tables[op.item], spec.rules.get(op.path) or ListRule("its items' own GET")
    fields = _key_fields(op, table)
    with spec.runtime.engine.connect() as conn:  # now: reads logged by earlier checks are rows too
        rows = [dict(r) for r in conn.execute(select(table)).mappings()]
    with spec.runtime.uow_factory() as uow:  # closed before any request: SQLite has one writer
        access = spec.access(caller.principal, uow.session)
        about = [r for r in rows if rule.about is None or rule.about(access, r)]
        mine = [r for r in about if "trust_id" not in table.c or r["trust_id"] == caller.principal.trust_id]
        allowed = {id(r): bool(rule.allows(access, r)) for r in mine} if rule.allows else None
    opens = allowed if allowed is not None else {id(r): _opens(spec, op, caller, r) for r in mine}
    report.refused[op.path] += len(rows) - sum(opens.values())  # another trust's, not theirs, not about them
    bindings = [{}] if not op.path_params else [
        {p: v for p, v in zip(op.path_params, values)}
        for values in sorted({tuple(str(r[p]) for p in op.path_params) for r in rows})]
    for binding in bindings:
        scoped = [r for r in mine if all(str(r[p]) == v for p, v in binding.items())]
        may = Counter(_key(r, fields) for r in scoped if opens[id(r)])
        path = op.path.format(**binding)
        _compare(spec, op, caller, path, {}, may, fields, report, exact=True)
        for name, schema in op.filters.items():
            if name in table.c and name in op.fields:
                for value in sorted({str(r[name]) for r in scoped if r[name] is not None}):
                    wanted = Counter(_key(r, fields) for r in scoped if opens[id(r)] and str(r[name]) == value)
                    _compare(spec, op, caller, path, {name: value}, wanted, fields, report, exact=True)
                continue
            values = schema.get("enum") or spec.filter_values.get(name)
            if not values:
                report.problems.append(f"GET {op.path}?{name}=: not a column of {table.name}; give values to try "
                                       f"in the test's `filter_values` (what the list shows must stay openable)")
                return
            for value in values:
                _compare(spec, op, caller, path, {name: value}, may, fields, report, exact=False)


def _opens(spec: Lists, op: ListOperation, caller: Caller, row: dict) -> bool:
    """May the caller open this item by its own GET?"""
    response = spec.client.get(op.detail.format(**{op.detail.rsplit("{", 1)[1][:-1]: row["id"]}),
                               headers=caller.headers)
    assert response.status_code in (200, 403, 404), (op.detail, row["id"], response.status_code)
    return response.status_code == 200


def _compare(spec, op, caller, path, query, may: Counter, fields, report: Report, *, exact: bool) -> None:
    items, error = _listed(spec.client, path, caller.headers, query)
    where = f"GET {path}{'?' + '&'.join(f'{k}={v}' for k, v in query.items()) if query else ''} as {caller.key}"
    if error:
        report.problems.append(f"{where}: {error}")
        return
    shown = Counter(_key(item, fields) for item in items or [])
    report.shown[op.path] += sum(shown.values())
    extra, missing = shown - may, may - shown
    if extra:
        report.problems.append(f"{where}: shows {sorted(extra)} that {caller.key} may not open")
    if exact and missing:
        report.problems.append(f"{where}: hides {sorted(missing)} that {caller.key} may open")


def _projected_access(principal: Principal, session: Session) -> Permissions:
    return Permissions(principal, ProjectedDirectory(session))


def check_service(runtime: Runtime, writer: Writer, *, tables: dict[str, Table], rules: dict[str, ListRule],
                  documented: str, fill: Callable[[Runtime, World], None] | None = None,
                  access: Callable[[Principal, Session], Any] = _projected_access,
                  filter_values: dict[str, list[str]] | None = None) -> Report:
    """The world seeded (``fill`` adds the service's own records to it), then every list checked;
    filters that are not columns are tried with every school id and ``filter_values``."""
    try:
        prepare_database(runtime)
        world = seed(writer)
        if fill is not None:
            fill(runtime, world)
        seed_access_log(runtime, world)
        schools = [world[s] for s in ("ash", "birch", "cedar", "willow")]
        return check_lists(Lists(
            client=create_service_app(runtime, testing=True).test_client(), runtime=runtime, world=world,
            tables={"AccessEntry": access_log, **tables}, rules=rules, access=access, documented=documented,
            filter_values={"school_id": schools, **(filter_values or {})}))
    finally:
        runtime.dispose()


def assert_agree(report: Report, *paths: str) -> None:
    """No list disagrees with its rule; the named lists were found; and every list showed something
    to someone and refused something to someone, so the world put each rule to the test."""
    assert not report.problems, "\n".join(report.problems[:40])
    found = {op.path for op in report.lists}
    assert set(paths) <= found, set(paths) - found
    for path in found:
        assert report.shown[path] and report.refused[path], (path, report.shown[path], report.refused[path])

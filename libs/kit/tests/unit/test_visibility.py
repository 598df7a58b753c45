"""The list-visibility check finds lists in an OpenAPI document, and refuses a list it cannot check."""
from canopy_kit.auth.permissions import ListRule
from canopy_kit.testing.visibility import ListOperation, _classify, list_operations

ITEM = {"type": "object", "properties": {"id": {"type": "string"}, "school_id": {"type": "string"}}}
PAGE = {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Pair"}},
                                         "page": {}, "page_size": {}, "total": {}}}


def _get(schema: str, *parameters: tuple[str, str]) -> dict:
    return {"get": {"parameters": [{"name": n, "in": where, "schema": {"type": "string"}} for n, where in parameters],
                    "responses": {"200": {"content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}}}}


DOCUMENT = {"components": {"schemas": {"Pair": ITEM, "PairPage": PAGE, "PairDetail": {
    "properties": {**ITEM["properties"], "notes": {}}}}}, "paths": {
    "/v1/pairs": _get("PairPage", ("page", "query"), ("school_id", "query")),
    "/v1/people/{person_id}/pairs": _get("PairPage", ("person_id", "path")),
    "/v1/pairs/{pair_id}": _get("PairDetail", ("pair_id", "path")),
    "/v1/me": _get("PairDetail")}}


def test_lists_their_filters_and_their_items_own_get_are_found():
    found = {op.path: op for op in list_operations(DOCUMENT)}
    assert set(found) == {"/v1/pairs", "/v1/people/{person_id}/pairs"}
    assert found["/v1/pairs"].filters == {"school_id": {"type": "string"}}
    assert found["/v1/pairs"].detail == found["/v1/people/{person_id}/pairs"].detail == "/v1/pairs/{pair_id}"
    assert found["/v1/people/{person_id}/pairs"].path_params == ("person_id",)


def test_a_list_nobody_declared_fails_with_how_to_declare_it():
    class Spec:
        tables = {"Pair": type("T", (), {"c": {"id": 1, "school_id": 1}, "name": "pairs"})()}
        rules: dict = {}
        documented = "`/v1/pairs`"

    orphan = ListOperation("/v1/pairs", "Pair", ITEM["properties"], (), {}, detail=None)
    assert "add ListRule" in _classify(orphan, Spec)
    Spec.rules = {"/v1/pairs": ListRule("everyone's", allows=lambda caller, row: True)}
    assert _classify(orphan, Spec) is None
    assert "docs/permissions.md" in _classify(ListOperation("/v1/other", "Pair", {}, (), {}, "/v1/x/{id}"), Spec)
    assert "which table" in _classify(ListOperation("/v1/pairs", "Unknown", {}, (), {}, None), Spec)

"""The contract itself: valid OpenAPI, every route and status the notes list, links for chaining."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.contract import CONTRACT, resolve

OPERATIONS = {
    (method.upper(), path): operation
    for path, item in CONTRACT["paths"].items()
    for method, operation in item.items()
    if method != "parameters"
}
# docs/contract.md §1 (and §3: 400/403/404 from the tenant on every tenant-scoped route)
STATUSES = {
    ("GET", "/models/types/"): {"200", "401"},
    ("GET", "/models/types/{name}"): {"200", "401", "404"},
    ("GET", "/models/types/{name}/schema"): {"200", "401", "404"},
    ("POST", "/models/types/{dtype}/actions/{action_name}"): {"200", "401", "404", "422", "502"},
    ("POST", "/models/"): {"201", "400", "401", "403", "404", "409", "422"},
    ("GET", "/models/"): {"200", "400", "401", "403", "404"},
    ("GET", "/models/{name}"): {"200", "400", "401", "403", "404"},
    ("PATCH", "/models/{name}"): {"200", "400", "401", "403", "404", "409", "422"},
    ("DELETE", "/models/{name}"): {"200", "400", "401", "403", "404"},
    ("GET", "/models/{name}/health"): {"200", "400", "403", "404"},  # public: no 401 (§9b)
}
PUBLIC = {("GET", "/models/{name}/health")}


def test_contract_is_valid_openapi():
    validate(CONTRACT)
    assert CONTRACT["servers"] == [{"url": "/api/v1"}]


def test_every_route_lists_every_status_it_can_return():
    assert {key: set(operation["responses"]) for key, operation in OPERATIONS.items()} == STATUSES


@pytest.mark.parametrize("key", sorted(STATUSES))
def test_every_answer_has_a_json_schema(key):
    for status, response in OPERATIONS[key]["responses"].items():
        assert "schema" in resolve(response)["content"]["application/json"], (key, status)


def test_every_route_but_health_requires_the_bearer_key():
    assert CONTRACT["security"] == [{"bearerAuth": []}]
    assert CONTRACT["components"]["securitySchemes"]["bearerAuth"] == {
        **CONTRACT["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert {key for key, operation in OPERATIONS.items() if operation.get("security") == []} == PUBLIC
    assert all("security" not in operation for key, operation in OPERATIONS.items() if key not in PUBLIC)


def test_tenant_header_on_tenant_scoped_routes_only():
    def has_tenant_header(path: str, operation: dict) -> bool:
        parameters = CONTRACT["paths"][path].get("parameters", []) + operation.get("parameters", [])
        return any(resolve(parameter)["name"] == "X-Tenant-Name" for parameter in parameters)

    for (method, path), operation in OPERATIONS.items():
        assert has_tenant_header(path, operation) == (not path.startswith("/models/types/")), (method, path)


def test_create_and_patch_link_to_get_patch_and_delete_of_the_same_model():
    targets = {"getModel", "updateModel", "deleteModel"}
    for key, status in ((("POST", "/models/"), "201"), (("PATCH", "/models/{name}"), "200")):
        links = [resolve(link) for link in OPERATIONS[key]["responses"][status]["links"].values()]
        assert {link["operationId"] for link in links} == targets
        assert all(link["parameters"] == {"name": "$response.body#/name"} for link in links)


def test_model_schemas_are_exact():
    schemas = CONTRACT["components"]["schemas"]
    detail, item = schemas["ModelDetail"], schemas["ModelListItem"]
    assert set(detail["required"]) == set(item["required"]) | {"updated_at"}
    assert "updated_at" not in item["properties"]
    assert detail["properties"]["id"]["format"] == "uuid"
    assert schemas["Timestamp"]["format"] == "date-time"
    assert schemas["ConnectedEndpoint"]["required"] == ["id", "name", "slug"]
    assert schemas["ModelName"]["not"] == {"enum": ["types", ".", ".."]}
    assert schemas["ModelUpdate"]["properties"]["name"]["not"] == schemas["ModelName"]["not"]


def test_patch_semantics_are_written_in_the_contract():
    text = OPERATIONS[("PATCH", "/models/{name}")]["description"]
    for phrase in ("absent or `null` is left unchanged", "409 and **nothing**", "`updated_at` is set",
                   "never change", "own current name is 200"):
        assert phrase in text


def test_model_types_carry_icon_and_enabled():
    model_type = CONTRACT["components"]["schemas"]["ModelType"]
    assert {"name", "description", "config_schema", "icon", "enabled"} <= set(model_type["required"])
    assert model_type["properties"]["icon"]["type"] == "string"
    assert model_type["properties"]["enabled"]["type"] == "boolean"


def test_operation_ids_are_plain_names_each_resolved_to_one_handler():
    from handlers.resolver import handler_for

    names = {operation["operationId"] for operation in OPERATIONS.values()}
    assert names >= {"listModels", "createModel", "getModel", "updateModel", "deleteModel",
                     "listModelTypes", "getModelType"}
    assert all(re.fullmatch(r"[a-z][A-Za-z]*", name) for name in names), names
    assert all(callable(handler_for(name)) for name in names)
    assert len({handler_for(name) for name in names}) == len(names)

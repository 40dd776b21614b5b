"""The mock takes its facts from the contract (issue 9): field lists, tenant scoping, messages."""

from __future__ import annotations

import copy
import importlib

import pytest

from handlers import contract, documents

MODEL_OPERATIONS = {"listModels", "createModel", "getModel", "updateModel", "deleteModel"}


def _operations(document: dict) -> dict[str, dict]:
    return {operation["operationId"]: operation for item in document["paths"].values()
            for method, operation in item.items() if method != "parameters"}


def test_the_model_operations_are_tenant_scoped_and_the_type_operations_are_not():
    scoped = contract.tenant_scoped_operations()

    assert MODEL_OPERATIONS <= scoped
    assert not {"listModelTypes", "getModelType"} & scoped


def test_tenant_scoping_follows_the_declared_header_not_the_operation_id(monkeypatch):
    changed = copy.deepcopy(contract.document())
    operations = _operations(changed)
    operations["listModels"]["operationId"] = "whateverTheNameIs"
    operations["listModelTypes"].setdefault("parameters", []).append({"$ref": "#/components/parameters/TenantName"})
    monkeypatch.setattr(contract, "document", lambda: changed)

    scoped = contract.tenant_scoped_operations.__wrapped__()

    assert {"whateverTheNameIs", "listModelTypes"} <= scoped
    assert "listModels" not in scoped


@pytest.fixture
def contract_with_a_new_field(monkeypatch):
    """The contract with a field ``description`` added to every model schema, documents reloaded on it."""
    changed = copy.deepcopy(contract.document())
    schemas = changed["components"]["schemas"]
    schemas["ModelCreate"]["properties"]["description"] = {"type": "string", "default": "none yet"}
    schemas["ModelUpdate"]["properties"]["description"] = {"type": "string", "nullable": True}
    for name in ("ModelDetail", "ModelListItem"):
        schemas[name]["properties"]["description"] = {"type": "string"}
    monkeypatch.setattr(contract, "document", lambda: changed)
    yield importlib.reload(documents)
    monkeypatch.undo()
    importlib.reload(documents)


def test_a_field_added_to_the_contract_is_stored_updated_and_shown(contract_with_a_new_field):
    model = contract_with_a_new_field
    body = {"name": "m", "dtype": "openai", "configuration": {"api_key": "k"}}

    stored = model.new_model("root", body, "2024-01-01T00:00:00Z")

    assert stored["description"] == "none yet"
    assert model.updates_sent({"description": "new", "id": "x"}) == {"description": "new"}
    assert model.shown_fields({**stored, "description": "new"})["description"] == "new"
    assert model.shown_fields(stored, list_item=True)["description"] == "none yet"


def test_the_stored_model_has_the_create_fields_and_the_server_fields():
    body = {"name": "m", "dtype": "openai", "configuration": {"api_key": "k"}, "id": "sent-by-client"}

    stored = documents.new_model("acme", body, "2024-01-01T00:00:00Z")

    assert stored.pop("id") != "sent-by-client"
    assert stored == {"tenant": "acme", "name": "m", "dtype": "openai", "configuration": {"api_key": "k"},
                      "summary": "", "tags": "", "created_at": "2024-01-01T00:00:00Z",
                      "updated_at": "2024-01-01T00:00:00Z", "connected_endpoints": []}


def test_a_list_item_shows_the_list_item_schema_fields_only():
    stored = documents.new_model("root", {"name": "m", "dtype": "d", "configuration": {}}, "2024-01-01T00:00:00Z")

    assert tuple(documents.shown_fields(stored, list_item=True)) == contract.fields("ModelListItem")
    assert tuple(documents.shown_fields(stored)) == contract.fields("ModelDetail")


def test_the_empty_update_message_is_stated_once_in_the_contract():
    example = contract.component("responses", "ValidationFailed")["content"]["application/json"]["example"]

    assert example["detail"][0]["msg"] == contract.component("schemas", "ModelUpdate")["x-any-of-message"]

"""docs/contract.md §12: the length bounds of name, summary and tags, on create and PATCH."""

from __future__ import annotations

import pytest

from handlers.contract import component
from tests.helpers import (
    assert_422,
    assert_json,
    list_models,
    openai_body,
    snapshot,
)

BOUNDS = {"name": 256, "summary": 10000, "tags": 2000}


def test_the_contract_states_the_bounds_on_create_and_patch():
    schemas = {name: component("schemas", name) for name in ("ModelName", "ModelCreate", "ModelUpdate")}

    assert schemas["ModelName"]["maxLength"] == BOUNDS["name"]
    for field in ("summary", "tags"):
        assert schemas["ModelCreate"]["properties"][field]["maxLength"] == BOUNDS[field]
    for field, bound in BOUNDS.items():
        assert schemas["ModelUpdate"]["properties"][field]["maxLength"] == bound


def _too_long(field: str) -> dict:
    bound = BOUNDS[field]
    return {"type": "string_too_long", "loc": ["body", field], "msg": f"String should have at most {bound} characters",
            "input": "é" * (bound + 1), "ctx": {"max_length": bound}}


@pytest.mark.parametrize("field", sorted(BOUNDS))
def test_one_character_over_the_bound_is_422_on_create_and_stores_nothing(client, unique_name, field):
    name = unique_name("len")
    body = {**openai_body(name), field: "é" * (BOUNDS[field] + 1)}  # code points, not bytes, count
    before = list_models(client)

    entries = assert_422(client.post("/models/", json=body))

    assert entries == [_too_long(field)]
    assert list_models(client) == before


@pytest.mark.parametrize("field", sorted(BOUNDS))
def test_one_character_over_the_bound_is_422_on_patch_and_changes_nothing(client, create_model, unique_name, field):
    name = create_model(unique_name("len-patch"))["name"]
    before = snapshot(client, name)

    entries = assert_422(client.patch(f"/models/{name}", json={field: "é" * (BOUNDS[field] + 1)}))

    assert entries == [_too_long(field)]
    assert snapshot(client, name) == before


def test_values_at_the_bound_are_stored_and_read_back(client, unique_name):
    stem = unique_name("len-ok")
    name = stem + "n" * (BOUNDS["name"] - len(stem))
    body = {**openai_body(name), "summary": "s" * BOUNDS["summary"], "tags": "t" * BOUNDS["tags"]}

    created = assert_json(client.post("/models/", json=body), 201)
    read = assert_json(client.get(f"/models/{name}"), 200)

    assert (created["name"], created["summary"], created["tags"]) == (name, body["summary"], body["tags"])
    assert read == created
    assert_json(client.delete(f"/models/{name}"), 200)

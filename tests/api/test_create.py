"""docs/contract.md §6: POST /models/ — 201, defaults, dtype 400, name 409, configuration by schema 422."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.helpers import (
    SEED_ID,
    assert_422,
    assert_detail,
    assert_json,
    assert_model_shape,
    errors_at,
    get_model,
    list_models,
    openai_body,
    snapshot,
    without_updated_at,
)


def _rejected(client, body, *names, headers=None):
    """POSTs ``body``; checks nothing changed (list and the named models); returns the response."""
    before = snapshot(client, *names)
    response = client.post("/models/", json=body, headers=headers or {})
    assert snapshot(client, *names) == before
    return response


def test_create_answers_201_with_the_model(client, unique_name):
    name = unique_name("create")
    body = {"name": name, "dtype": "openai", "summary": "GPT-4 model for customer support",
            "tags": "openai,gpt-4,production",
            "configuration": {"api_key": "sk-create-0123456789", "model": "gpt-4", "base_url": "https://example.test/v1",
                              "system_prompt": "Be brief."}}

    response = client.post("/models/", json=body)

    model = assert_json(response, 201)
    assert_model_shape(model)
    assert {key: model[key] for key in ("name", "dtype", "summary", "tags")} == \
        {key: body[key] for key in ("name", "dtype", "summary", "tags")}
    assert model["configuration"] == {key: value for key, value in body["configuration"].items() if key != "api_key"}
    assert model["connected_endpoints"] == []
    assert assert_json(get_model(client, name), 200) == model
    assert [item for item in list_models(client) if item["name"] == name] == [without_updated_at(model)]


def test_summary_and_tags_default_to_empty_strings(client, unique_name):
    name = unique_name("create-defaults")

    model = assert_json(client.post("/models/", json=openai_body(name)), 201)

    assert model["summary"] == "" and model["tags"] == ""
    assert assert_json(get_model(client, name), 200) == model


@pytest.mark.parametrize("field", ["summary", "tags"])
def test_null_summary_or_tags_is_422(client, unique_name, field):
    name = unique_name("create-null")

    response = _rejected(client, openai_body(name, **{field: None}), name)

    assert errors_at(assert_422(response)) == [("string_type", ["body", field])]


@pytest.mark.parametrize("field", ["name", "dtype", "configuration"])
def test_each_required_field_missing_is_one_missing_entry(client, unique_name, field):
    name = unique_name("create-missing")
    body = openai_body(name)
    del body[field]

    response = _rejected(client, body, name)

    assert errors_at(assert_422(response)) == [("missing", ["body", field])]


def test_unknown_dtype_is_400(client, unique_name):
    name = unique_name("create-dtype")

    response = _rejected(client, {**openai_body(name), "dtype": "gpt"}, name)

    assert_detail(response, 400, "Model type 'gpt' not found")


@pytest.mark.parametrize("tenant", ["root", "acme"])
def test_duplicate_name_in_the_tenant_is_409(client, unique_name, tenant):
    name = unique_name("create-dup")
    headers = {"X-Tenant-Name": tenant}
    assert client.post("/models/", json=openai_body(name, summary="original"), headers=headers).status_code == 201
    before = snapshot(client, name, tenant=tenant)

    response = client.post("/models/", json=openai_body(name, summary="second"), headers=headers)

    assert_detail(response, 409, f"Model '{name}' already exists")
    assert snapshot(client, name, tenant=tenant) == before


@pytest.mark.parametrize("dtype, configuration, locs", [
    ("openai", {}, [["body", "configuration", "api_key"]]),
    ("openai", {"api_key": 5}, [["body", "configuration", "api_key"]]),
    ("openai", {"api_key": "sk-ok-123456", "model": 4, "base_url": False},
     [["body", "configuration", "model"], ["body", "configuration", "base_url"]]),
    ("anthropic", {"api_key": "sk-ant-123456", "max_tokens": 0}, [["body", "configuration", "max_tokens"]]),
    ("anthropic", {"api_key": "sk-ant-123456", "max_tokens": "many"}, [["body", "configuration", "max_tokens"]]),
    ("ollama", {"base_url": "http://localhost:11434"}, [["body", "configuration", "model"]]),
    ("vllm", {"model": "mixtral"}, [["body", "configuration", "base_url"]]),
], ids=["openai no api_key", "openai api_key number", "openai two wrong types", "anthropic max_tokens 0",
        "anthropic max_tokens string", "ollama no model", "vllm no base_url"])
def test_configuration_violating_the_type_schema_is_422(client, unique_name, dtype, configuration, locs):
    name = unique_name("create-config")

    response = _rejected(client, {"name": name, "dtype": dtype, "configuration": configuration}, name)

    assert sorted(entry["loc"] for entry in assert_422(response)) == sorted(locs)


@pytest.mark.parametrize("dtype, configuration", [
    ("openai", {"api_key": "sk-ok-123456"}),
    ("anthropic", {"api_key": "sk-ant-123456", "max_tokens": 1}),
    ("ollama", {"model": "llama3"}),
    ("vllm", {"base_url": "http://gpu:8000/v1", "model": "mixtral"}),
])
def test_configuration_valid_for_each_type_is_201(client, unique_name, dtype, configuration):
    name = unique_name(f"create-{dtype}")

    model = assert_json(client.post("/models/", json={"name": name, "dtype": dtype, "configuration": configuration}), 201)

    assert model["dtype"] == dtype
    assert {k: v for k, v in model["configuration"].items() if k != "api_key"} == \
        {k: v for k, v in configuration.items() if k != "api_key"}
    assert assert_json(get_model(client, name), 200) == model


@pytest.mark.parametrize("name", ["", "a/b", "/", "trailing/", "types", ".", ".."])
def test_name_rules_on_create(client, name):
    response = _rejected(client, openai_body(name))

    entries = assert_422(response)
    assert {tuple(entry["loc"]) for entry in entries} == {("body", "name")}
    assert all(entry["input"] == name for entry in entries)


@pytest.mark.parametrize("name", ["Types", "types-", "...", ".a", "a.b", "名前", "with space", "back\\slash"])
def test_names_near_the_rules_are_allowed(client, name):
    model = assert_json(client.post("/models/", json=openai_body(name)), 201)

    assert model["name"] == name
    assert assert_json(client.get(f"/models/{quote(name, safe='')}"), 200) == model
    assert client.delete(f"/models/{quote(name, safe='')}").status_code == 200  # the name is free for others


def test_server_fields_in_the_body_are_ignored(client, unique_name):
    name = unique_name("create-extra")
    body = {**openai_body(name), "id": SEED_ID, "created_at": "2000-01-01T00:00:00Z",
            "updated_at": "2000-01-01T00:00:00Z", "tenant": "acme",
            "connected_endpoints": [{"id": SEED_ID, "name": "x", "slug": "x"}]}

    model = assert_json(client.post("/models/", json=body), 201)

    assert model["id"] != SEED_ID and model["connected_endpoints"] == []
    assert not model["created_at"].startswith("2000")
    assert assert_json(get_model(client, name), 200) == model
    assert get_model(client, name, "acme").status_code == 404

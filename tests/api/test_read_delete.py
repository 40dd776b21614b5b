"""docs/contract.md §5 (the Model, list items, order) and §8 (delete, cascade to connected endpoints)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import (
    SEED_ENDPOINT,
    SEED_ID,
    assert_json,
    assert_model_not_found,
    assert_model_shape,
    create_in,
    get_model,
    list_models,
    parse_stamp,
    snapshot,
    without_updated_at,
)

ROOT_FIXTURE_NAMES = ["claude-writer", "gpt-4-assistant", "local-llama"]


# -- §5 the Model ---------------------------------------------------------------------------------

def test_seed_model_has_the_documented_shape(fresh_client):
    response = get_model(fresh_client, "gpt-4-assistant")

    model = assert_json(response, 200)
    assert_model_shape(model)
    assert model == {
        "id": SEED_ID,
        "name": "gpt-4-assistant",
        "dtype": "openai",
        "configuration": {"model": "gpt-4", "base_url": "https://api.openai.com/v1",  # api_key: omitted
                          "system_prompt": "You are a helpful AI assistant."},
        "summary": "GPT-4 model for customer support",
        "tags": "openai,gpt-4,production",
        "created_at": "2024-03-15T10:30:00Z",
        "updated_at": "2024-03-15T10:30:00Z",
        "connected_endpoints": [SEED_ENDPOINT],
    }
    assert assert_json(get_model(fresh_client, "gpt-4-assistant"), 200) == model  # reading changes nothing


def test_created_model_has_the_model_shape_and_current_timestamps(client, create_model, unique_name):
    start = datetime.now(timezone.utc) - timedelta(seconds=5)

    model = create_model(unique_name("read-shape"))

    assert_model_shape(model)
    created, updated = parse_stamp(model["created_at"]), parse_stamp(model["updated_at"])
    assert start <= created <= updated <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert model["connected_endpoints"] == []
    assert assert_json(get_model(client, model["name"]), 200) == model


def test_list_items_are_models_without_updated_at(fresh_client):
    items = list_models(fresh_client)

    assert [item["name"] for item in items] == ROOT_FIXTURE_NAMES
    for item in items:
        assert_model_shape(item, list_item=True)
        assert item == without_updated_at(assert_json(get_model(fresh_client, item["name"]), 200))
    endpoints = {item["name"]: [e["slug"] for e in item["connected_endpoints"]] for item in items}
    assert endpoints == {"claude-writer": ["release-notes", "blog-drafts"],
                         "gpt-4-assistant": ["support-assistant"], "local-llama": []}


def test_list_of_another_tenant_holds_its_own_models(fresh_client):
    items = list_models(fresh_client, "acme")

    assert [item["name"] for item in items] == ["gpt-4-assistant", "vllm-mixtral"]
    assert items[0]["id"] != SEED_ID
    for item in items:
        assert_model_shape(item, list_item=True)


def test_list_is_ordered_by_name_in_byte_order(client, unique_name):
    stem = unique_name("order")
    # case, punctuation, accents and a character beyond the BMP (UTF-16 order would differ)
    suffixes = ["b", "B", "a", "Z", "_", "0", "~", "é", "\uff5e", "\U0001d518", "a-", "a0"]
    for suffix in reversed(suffixes):
        create_in(client, f"{stem}{suffix}")

    names = [item["name"] for item in list_models(client)]

    assert names == sorted(names, key=lambda name: name.encode("utf-8"))
    ours = [name for name in names if name.startswith(stem)]
    assert ours == sorted((f"{stem}{suffix}" for suffix in suffixes), key=lambda name: name.encode("utf-8"))


def test_get_of_an_unknown_model_is_404(client, unique_name):
    name = unique_name("read-missing")
    before = snapshot(client, name)

    assert_model_not_found(get_model(client, name), name)
    assert snapshot(client, name) == before


# -- §8 delete --------------------------------------------------------------------------------------

def test_delete_answers_the_message_and_the_model_is_gone(client, create_model, unique_name):
    name = create_model(unique_name("del"))["name"]
    bystander = create_model(unique_name("del-other"))["name"]
    before = snapshot(client, bystander)

    response = client.delete(f"/models/{name}")

    assert assert_json(response, 200) == {"message": f"Successfully deleted model '{name}'"}
    assert_model_not_found(get_model(client, name), name)
    assert_model_not_found(client.delete(f"/models/{name}"), name)
    assert name not in [item["name"] for item in list_models(client)]
    after = snapshot(client, bystander)
    assert after["models"] == before["models"]
    assert [item for item in before["list"] if item["name"] != name] == after["list"]


def test_deleted_name_is_free_again(client, create_model, unique_name):
    name = unique_name("del-again")
    first = create_model(name, summary="first")
    assert client.delete(f"/models/{name}").status_code == 200

    second = create_model(name, summary="second")

    assert second["id"] != first["id"] and second["summary"] == "second"
    assert assert_json(get_model(client, name), 200) == second
    assert [item["id"] for item in list_models(client) if item["name"] == name] == [second["id"]]


def test_delete_of_an_unknown_model_is_404_and_changes_nothing(client, unique_name):
    name = unique_name("del-missing")
    before = snapshot(client, name)

    assert_model_not_found(client.delete(f"/models/{name}"), name)
    assert snapshot(client, name) == before


@pytest.mark.parametrize("deleted, tenant", [("claude-writer", "root"), ("gpt-4-assistant", "acme")])
def test_delete_takes_the_connected_endpoints_with_it(fresh_client, deleted, tenant):
    others = {t: snapshot(fresh_client, *names, tenant=t) for t, names in
              {"root": ROOT_FIXTURE_NAMES, "acme": ["gpt-4-assistant", "vllm-mixtral"]}.items()}
    doomed = assert_json(get_model(fresh_client, deleted, tenant), 200)
    assert doomed["connected_endpoints"]

    response = fresh_client.delete(f"/models/{deleted}", headers={"X-Tenant-Name": tenant})

    assert assert_json(response, 200) == {"message": f"Successfully deleted model '{deleted}'"}
    for t, before in others.items():
        after = snapshot(fresh_client, *before["models"], tenant=t)
        expected_models = {name: (404, {"detail": f"Model '{name}' not found"}) if (t, name) == (tenant, deleted)
                           else state for name, state in before["models"].items()}
        assert after["models"] == expected_models  # the other models keep their connected endpoints
        assert after["list"] == [item for item in before["list"] if (t, item["name"]) != (tenant, deleted)]
    # the endpoints went with the model: a new model of that name has none
    reborn = create_in(fresh_client, deleted, tenant)
    assert reborn["connected_endpoints"] == [] and reborn["id"] != doomed["id"]

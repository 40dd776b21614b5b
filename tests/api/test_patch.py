"""docs/contract.md §7: PATCH /models/{name} — partial update, immutables, updated_at, renames."""

from __future__ import annotations

import pytest

from tests.contract import AT_LEAST_ONE_FIELD
from tests.helpers import (
    SEED_ENDPOINT,
    SEED_ID,
    assert_422,
    assert_detail,
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

IMMUTABLE = ("id", "dtype", "configuration", "created_at", "connected_endpoints")
SEED_PATCH = {"summary": "GPT-4 model optimized for customer support", "tags": "openai,gpt-4,support,production"}


def _patch_ok(http, name, body, tenant=None):
    """PATCHes ``body``; checks 200, the Model shape, and that a following GET answers the same."""
    response = http.patch(f"/models/{name}", json=body, headers={"X-Tenant-Name": tenant} if tenant else {})
    model = assert_json(response, 200)
    assert_model_shape(model)
    assert assert_json(get_model(http, model["name"], tenant), 200) == model
    return model


def _assert_only_changed(before: dict, after: dict, changed: dict) -> None:
    """``after`` holds ``changed``; every other field but updated_at keeps its exact value."""
    expected = {**before, **changed, "updated_at": after["updated_at"]}
    assert after == expected
    assert parse_stamp(after["updated_at"]) > parse_stamp(before["updated_at"])


@pytest.mark.parametrize("fields", [
    ["summary"], ["tags"], ["name"], ["summary", "tags"], ["name", "summary", "tags"],
])
def test_only_the_fields_sent_change(client, create_model, unique_name, fields):
    before = create_model(unique_name("patch"), summary="old summary", tags="old,tags")
    bystander = create_model(unique_name("patch-by"))["name"]
    values = {"name": unique_name("patch-renamed"), "summary": "new summary", "tags": "new,tags"}
    body = {field: values[field] for field in fields}
    others_before = snapshot(client, bystander)

    after = _patch_ok(client, before["name"], body)

    _assert_only_changed(before, after, body)
    assert snapshot(client, bystander)["models"] == others_before["models"]
    assert [item for item in list_models(client) if item["id"] == before["id"]] == [without_updated_at(after)]


def test_null_means_unchanged(client, create_model, unique_name):
    before = create_model(unique_name("patch-null"), summary="keep me", tags="keep,me")

    after = _patch_ok(client, before["name"], {"name": None, "summary": "changed", "tags": None})

    _assert_only_changed(before, after, {"summary": "changed"})


def test_empty_strings_are_values_not_null(client, create_model, unique_name):
    before = create_model(unique_name("patch-empty"), summary="something", tags="a,b")

    after = _patch_ok(client, before["name"], {"summary": "", "tags": ""})

    _assert_only_changed(before, after, {"summary": "", "tags": ""})


def test_unknown_and_server_fields_in_the_body_are_ignored(client, create_model, unique_name):
    before = create_model(unique_name("patch-extra"))
    body = {"summary": "x", "configuration": {"api_key": "sk-replaced-999999", "model": "other"},
            "dtype": "anthropic", "id": SEED_ID, "created_at": "2000-01-01T00:00:00Z",
            "updated_at": "2000-01-01T00:00:00Z", "connected_endpoints": [SEED_ENDPOINT], "tenant": "acme"}

    after = _patch_ok(client, before["name"], body)

    _assert_only_changed(before, after, {"summary": "x"})
    assert_model_not_found(get_model(client, before["name"], "acme"), before["name"])


@pytest.mark.parametrize("body", [
    {"configuration": {"api_key": "sk-replaced-999999"}},
    {"dtype": "ollama", "id": SEED_ID},
    {"configuration": {"model": "x"}, "summary": None},
], ids=["configuration alone", "immutables alone", "configuration and a null"])
def test_a_body_without_an_updatable_field_is_422(client, create_model, unique_name, body):
    name = create_model(unique_name("patch-noupdatable"))["name"]
    before = snapshot(client, name)

    entries = assert_422(client.patch(f"/models/{name}", json=body))

    assert [(entry["loc"], entry["msg"]) for entry in entries] == [(["body"], AT_LEAST_ONE_FIELD)]
    assert snapshot(client, name) == before


def test_immutable_fields_survive_every_kind_of_patch(fresh_client):
    before = assert_json(get_model(fresh_client, "claude-writer"), 200)
    assert len(before["connected_endpoints"]) == 2
    name = "claude-writer"

    for body in [{"summary": "a"}, {"tags": "b"}, {"name": "claude-renamed"}, {"name": "claude-writer", "tags": "c"},
                 {"summary": "a", "configuration": {"api_key": "sk-nope-000000"}}]:
        after = _patch_ok(fresh_client, name, body)
        assert {key: after[key] for key in IMMUTABLE} == {key: before[key] for key in IMMUTABLE}
        name = after["name"]


def test_updated_at_advances_on_every_patch_also_without_change(client, create_model, unique_name):
    model = create_model(unique_name("patch-clock"), summary="same", tags="same")
    created_at = parse_stamp(model["created_at"])
    stamps = [parse_stamp(model["updated_at"])]

    for body in [{"summary": "same"}, {"summary": "same"}, {"tags": "same"}, {"name": model["name"]},
                 {"summary": "different"}]:
        after = _patch_ok(client, model["name"], body)
        stamps.append(parse_stamp(after["updated_at"]))
        assert {k: v for k, v in after.items() if k not in ("updated_at", "summary")} == \
            {k: v for k, v in model.items() if k not in ("updated_at", "summary")}

    assert all(later > earlier for earlier, later in zip(stamps, stamps[1:], strict=False)), stamps
    assert all(stamp >= created_at for stamp in stamps)


def test_updated_at_moves_past_the_stored_timestamps(fresh_client):
    before = assert_json(get_model(fresh_client, "claude-writer"), 200)  # updated_at after created_at in fixtures

    after = _patch_ok(fresh_client, "claude-writer", {"tags": before["tags"]})

    assert parse_stamp(after["updated_at"]) > parse_stamp(before["updated_at"]) > parse_stamp(after["created_at"])
    assert after["created_at"] == before["created_at"]


def test_rename_to_its_own_name_is_200(client, create_model, unique_name):
    before = create_model(unique_name("patch-self"))

    after = _patch_ok(client, before["name"], {"name": before["name"], "summary": "renamed to itself"})

    _assert_only_changed(before, after, {"summary": "renamed to itself"})


@pytest.mark.parametrize("tenant", [None, "acme"])
def test_rename_to_a_taken_name_is_409_and_applies_nothing(client, unique_name, tenant):
    mover = create_in(client, unique_name("patch-mover"), tenant, summary="s0", tags="t0")["name"]
    holder = create_in(client, unique_name("patch-holder"), tenant)["name"]
    before = snapshot(client, mover, holder, tenant=tenant)

    response = client.patch(f"/models/{mover}", json={"name": holder, "summary": "s1", "tags": "t1"},
                            headers={"X-Tenant-Name": tenant} if tenant else {})

    assert_detail(response, 409, f"Model '{holder}' already exists for this tenant")
    assert snapshot(client, mover, holder, tenant=tenant) == before


def test_rename_to_a_name_held_only_in_another_tenant_succeeds(client, create_model, unique_name):
    elsewhere = create_in(client, unique_name("patch-acme"), "acme")
    before = create_model(unique_name("patch-root"))
    acme_before = snapshot(client, elsewhere["name"], tenant="acme")

    after = _patch_ok(client, before["name"], {"name": elsewhere["name"]})

    _assert_only_changed(before, after, {"name": elsewhere["name"]})
    assert snapshot(client, elsewhere["name"], tenant="acme") == acme_before


def test_after_a_rename_the_new_name_answers_and_the_old_is_404(fresh_client):
    before = assert_json(get_model(fresh_client, "gpt-4-assistant"), 200)

    after = _patch_ok(fresh_client, "gpt-4-assistant", {"name": "support-bot"})

    assert after["id"] == before["id"] == SEED_ID
    assert after["connected_endpoints"] == before["connected_endpoints"] == [SEED_ENDPOINT]
    assert_model_not_found(get_model(fresh_client, "gpt-4-assistant"), "gpt-4-assistant")
    assert_model_not_found(fresh_client.patch("/models/gpt-4-assistant", json={"summary": "x"}), "gpt-4-assistant")
    assert_model_not_found(fresh_client.delete("/models/gpt-4-assistant"), "gpt-4-assistant")
    names = [item["name"] for item in list_models(fresh_client)]
    assert names == ["claude-writer", "local-llama", "support-bot"]
    # the old name is free again, and a model created under it does not inherit the endpoints
    reborn = create_in(fresh_client, "gpt-4-assistant")
    assert reborn["id"] != SEED_ID and reborn["connected_endpoints"] == []
    assert assert_json(get_model(fresh_client, "support-bot"), 200) == after


@pytest.mark.parametrize("new_name", ["", "a/b", "/", "types", ".", ".."])
def test_name_rules_on_rename(client, create_model, unique_name, new_name):
    name = create_model(unique_name("patch-rule"))["name"]
    before = snapshot(client, name)

    entries = assert_422(client.patch(f"/models/{name}", json={"name": new_name, "summary": "not applied"}))

    assert {tuple(entry["loc"]) for entry in entries} == {("body", "name")}
    assert snapshot(client, name) == before


def test_patch_response_includes_connected_endpoints_and_equals_the_following_get(fresh_client):
    """The example of the product's documentation page for PATCH."""
    after = _patch_ok(fresh_client, "gpt-4-assistant", SEED_PATCH)

    assert after["connected_endpoints"] == [SEED_ENDPOINT]
    assert after["summary"] == SEED_PATCH["summary"] and after["tags"] == SEED_PATCH["tags"]
    assert "api_key" not in after["configuration"]


def test_patch_of_an_unknown_model_is_404_and_creates_nothing(client, unique_name):
    name = unique_name("patch-missing")
    before = snapshot(client, name)

    assert_model_not_found(client.patch(f"/models/{name}", json={"summary": "x"}), name)
    assert snapshot(client, name) == before

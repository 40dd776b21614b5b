"""docs/contract.md §9b: the routes the product's web UI calls beyond the documentation page.

The type schema, the type actions (fetch_available_models) and the public, tenant-scoped model
health, answered offline from ``fixtures/providers.json``; model types carry icon and enabled.
"""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from tests.helpers import (
    assert_401,
    assert_422,
    assert_detail,
    assert_json,
    assert_model_not_found,
    create_in,
    snapshot,
)
from tests.live import ROOT

PROVIDERS = json.loads((ROOT / "fixtures" / "providers.json").read_text())
FETCH = "/models/types/openai/actions/fetch_available_models"
REJECTED_KEY = PROVIDERS["rejected_api_keys"][0]
FAILING_KEY = PROVIDERS["failing_api_keys"][0]
INVALID_API_KEY = "Invalid API key. Please check your API key and try again."
FETCH_FAILED = "Action 'fetch_available_models' failed. Please check your parameters and try again."
TENANT_HEADER_REQUIRED = "X-Tenant-Name header is required for this endpoint when multi-tenancy is enabled"
FIXTURE_MODELS = PROVIDERS["types"]["openai"]["actions"]["fetch_available_models"]["models"]
TYPE_NAMES = ("anthropic", "ollama", "openai", "vllm")


def every_tenant(http: httpx.Client) -> dict:
    """Lists and the seed models of both active tenants: what no action or health check may change."""
    return {
        "root": snapshot(http, "gpt-4-assistant", "local-llama", tenant="root"),
        "acme": snapshot(http, "gpt-4-assistant", "vllm-mixtral", tenant="acme"),
    }


def fetch_body(api_key: str = "sk-live-0123456789", base_url: str = "https://api.openai.com/v1") -> dict:
    return {"base_url": base_url, "api_key": api_key}


# --- model types: icon and enabled ----------------------------------------------------------------

def test_every_model_type_carries_icon_and_enabled(client):
    for model_type in assert_json(client.get("/models/types/"), 200):
        assert isinstance(model_type["icon"], str) and model_type["icon"], model_type["name"]
        assert isinstance(model_type["enabled"], bool), model_type["name"]
        assert isinstance(model_type["description"], str), model_type["name"]


# --- GET /models/types/{name}/schema --------------------------------------------------------------

@pytest.mark.parametrize("name", TYPE_NAMES)
def test_schema_is_the_types_config_schema(client, name):
    model_type = assert_json(client.get(f"/models/types/{name}"), 200)

    assert assert_json(client.get(f"/models/types/{name}/schema"), 200) == model_type["config_schema"]


def test_schema_of_an_unknown_type_is_404(client):
    assert_detail(client.get("/models/types/gpt/schema"), 404, "Model type 'gpt' not found")


def test_schema_needs_the_admin_key(client):
    assert_401(client.get("/models/types/openai/schema", headers={"Authorization": ""}))
    assert_401(client.get("/models/types/openai/schema", headers={"Authorization": "Bearer wrong"}))


@pytest.mark.parametrize("tenant", ["no-such-tenant", "dormant"])
def test_schema_is_not_tenant_scoped(client, tenant):
    plain = assert_json(client.get("/models/types/openai/schema"), 200)

    assert assert_json(client.get("/models/types/openai/schema", headers={"X-Tenant-Name": tenant}), 200) == plain


# --- POST /models/types/{dtype}/actions/{action_name} ---------------------------------------------

def test_fetch_available_models_lists_the_fixtures_models_ordered_by_id(client):
    before = every_tenant(client)

    body = assert_json(client.post(FETCH, json=fetch_body()), 200)

    assert body == {"models": sorted(FIXTURE_MODELS, key=lambda model: model["id"])}
    assert [model["id"] for model in body["models"]] != [model["id"] for model in FIXTURE_MODELS]  # really sorted
    assert every_tenant(client) == before


def test_a_key_the_fixtures_mark_rejected_is_422_not_401(client):
    before = every_tenant(client)

    assert_detail(client.post(FETCH, json=fetch_body(REJECTED_KEY)), 422, INVALID_API_KEY)
    assert every_tenant(client) == before


def test_a_key_the_fixtures_mark_failing_is_502(client):
    before = every_tenant(client)

    assert_detail(client.post(FETCH, json=fetch_body(FAILING_KEY)), 502, FETCH_FAILED)
    assert every_tenant(client) == before


@pytest.mark.parametrize(("body", "detail"), [
    ({}, "fetch_available_models() missing 2 required positional arguments: 'base_url' and 'api_key'"),
    (None, "fetch_available_models() missing 2 required positional arguments: 'base_url' and 'api_key'"),
    ({"base_url": "https://api.openai.com/v1"}, "fetch_available_models() missing 1 required positional argument: 'api_key'"),
    ({**fetch_body(), "model": "gpt-4"}, "fetch_available_models() got an unexpected keyword argument 'model'"),
])
def test_wrong_or_missing_arguments_are_422_with_the_argument_error(client, body, detail):
    """No body at all is the default ``{}``, as on the real server."""
    response = client.post(FETCH) if body is None else client.post(FETCH, json=body)

    assert_detail(response, 422, detail)


@pytest.mark.parametrize(("path", "detail"), [
    ("/models/types/gpt/actions/fetch_available_models", "Model type 'gpt' not found"),
    ("/models/types/ollama/actions/fetch_available_models", "Model type 'ollama' does not support actions"),
    ("/models/types/openai/actions/list_models",
     "Action 'list_models' not found on model type 'openai'. Available: ['fetch_available_models']"),
])
def test_unknown_type_type_without_actions_and_unknown_action_are_404(client, path, detail):
    before = every_tenant(client)

    assert_detail(client.post(path, json=fetch_body()), 404, detail)
    assert every_tenant(client) == before


def test_actions_need_the_admin_key(client):
    assert_401(client.post(FETCH, json=fetch_body(), headers={"Authorization": ""}))
    assert_401(client.post(FETCH, json=fetch_body(), headers={"Authorization": "Bearer wrong"}))


def test_actions_are_not_tenant_scoped(client):
    expected = assert_json(client.post(FETCH, json=fetch_body()), 200)

    for tenant in ("no-such-tenant", "dormant", "acme"):
        assert assert_json(client.post(FETCH, json=fetch_body(), headers={"X-Tenant-Name": tenant}), 200) == expected


# --- GET /models/{name}/health --------------------------------------------------------------------

def test_health_is_public(mock_server):
    with httpx.Client(base_url=mock_server.base_url) as anonymous:
        assert assert_json(anonymous.get("/models/gpt-4-assistant/health"), 200) == {
            "status": "healthy", "message": PROVIDERS["types"]["openai"]["healthy"]}
        wrong_key = anonymous.get("/models/gpt-4-assistant/health", headers={"Authorization": "Bearer wrong"})
        assert assert_json(wrong_key, 200)["status"] == "healthy"


def test_health_of_a_model_the_fixtures_mark_unhealthy_is_still_200(client):
    verdict = next(entry for entry in PROVIDERS["model_health"] if entry["model_id"] == "5d41402a-bc4b-4a76-b971-9d911017c592")

    assert assert_json(client.get("/models/local-llama/health"), 200) == {
        "status": "unhealthy", "message": verdict["message"]}


@pytest.mark.parametrize(("key", "error"), [
    (REJECTED_KEY, PROVIDERS["provider_errors"]["rejected"]),
    (FAILING_KEY, PROVIDERS["provider_errors"]["failing"]),
])
def test_a_failing_provider_check_is_200_unhealthy_with_the_failure(client, unique_name, key, error):
    name = unique_name("health")
    create_in(client, name, configuration={"api_key": key})
    before = snapshot(client, name)

    body = assert_json(client.get(f"/models/{name}/health"), 200)

    assert body == {"status": "unhealthy", "message": PROVIDERS["types"]["openai"]["unhealthy"] + error}
    assert snapshot(client, name) == before


def test_health_is_tenant_scoped(client):
    assert assert_json(client.get("/models/vllm-mixtral/health", headers={"X-Tenant-Name": "acme"}), 200)["status"]
    assert_model_not_found(client.get("/models/vllm-mixtral/health"), "vllm-mixtral")  # acme's model, seen from root
    assert_detail(client.get("/models/local-llama/health", headers={"X-Tenant-Name": "nope"}), 404,
                  "Tenant 'nope' not found")
    assert assert_json(client.get("/models/old-model/health", headers={"X-Tenant-Name": "dormant"}), 403)["detail"]


def test_health_of_an_unknown_model_is_404(client):
    assert_model_not_found(client.get("/models/no-such-model/health"), "no-such-model")


def test_health_in_strict_mode_needs_the_tenant_header_not_the_key(start_server):
    server = start_server(strict_tenancy=True)
    with httpx.Client(base_url=server.base_url) as anonymous:
        assert_detail(anonymous.get("/models/local-llama/health"), 400, TENANT_HEADER_REQUIRED)
        assert assert_json(anonymous.get("/models/local-llama/health", headers={"X-Tenant-Name": "root"}), 200)


# --- nothing leaves the machine -------------------------------------------------------------------

@pytest.fixture
def listener():
    """A port on 127.0.0.1 that records whether anything connected to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def connections(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            accepted, _ = sock.accept()
        except BlockingIOError:
            return count
        accepted.close()
        count += 1


def test_no_action_or_health_check_calls_the_provider(client, unique_name, listener):
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    name = unique_name("offline")
    create_in(client, name, configuration={"api_key": "sk-offline-123456", "base_url": base_url})

    assert assert_json(client.post(FETCH, json=fetch_body(base_url=base_url)), 200)["models"]
    assert assert_json(client.post(FETCH, json=fetch_body(FAILING_KEY, base_url=base_url)), 502)
    assert assert_json(client.get(f"/models/{name}/health"), 200)["status"] == "healthy"

    assert connections(listener) == 0


# --- the 400 wording of strict multi-tenant mode ------------------------------------------------

def test_strict_mode_400_is_the_real_servers_wording(start_server):
    with start_server(strict_tenancy=True).client() as http:
        assert_detail(http.get("/models/"), 400, TENANT_HEADER_REQUIRED)


def test_non_object_action_body_is_the_validation_list(client):
    entries = assert_422(client.post(FETCH, content=b"[1, 2]", headers={"Content-Type": "application/json"}))
    assert [entry["loc"] for entry in entries] == [["body"]]

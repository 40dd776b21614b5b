"""contract-notes §9: a secret stored in `configuration` never comes back in full (masked `sk-...`)."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_json,
    get_model,
    openai_body,
)

FIXTURE_SECRETS = {  # fixtures/models.json: tenant, model, its api_key
    ("root", "gpt-4-assistant"): "sk-demo-0123456789abcdef",
    ("root", "claude-writer"): "sk-ant-demo-fedcba9876543210",
    ("acme", "gpt-4-assistant"): "sk-acme-00112233445566",
}


def _every_read(http, name, tenant=None):
    """The responses that show the model: GET, list, and a PATCH (the PATCH changes only the tags)."""
    headers = {"X-Tenant-Name": tenant} if tenant else {}
    return [http.get(f"/models/{name}", headers=headers),
            http.get("/models/", headers=headers),
            http.patch(f"/models/{name}", json={"tags": "secret-check"}, headers=headers)]


def _shown_configuration(response, name):
    body = assert_json(response, response.status_code)
    if isinstance(body, list):
        (body,) = [item for item in body if item["name"] == name]
    return body["configuration"]


@pytest.mark.parametrize("dtype, configuration, masked", [
    ("openai", {"api_key": "sk-live-0123456789abcdef", "model": "gpt-4"}, "sk-..."),
    ("anthropic", {"api_key": "sk-ant-api03-abcdefghijkl", "max_tokens": 10}, "sk-..."),
    ("vllm", {"api_key": "tok-9876543210fedcba", "base_url": "http://gpu:8000/v1", "model": "m"}, "tok..."),
])
def test_api_key_is_masked_on_create_get_list_and_patch(client, unique_name, dtype, configuration, masked):
    name = unique_name("secret")
    secret = configuration["api_key"]

    created = client.post("/models/", json={"name": name, "dtype": dtype, "configuration": configuration})

    expected = {**configuration, "api_key": masked}
    assert created.status_code == 201
    assert _shown_configuration(created, name) == expected
    for response in _every_read(client, name):
        assert response.status_code == 200
        assert _shown_configuration(response, name) == expected
        assert secret not in response.text


def test_secret_never_appears_in_any_response_text(client, unique_name):
    name = unique_name("secret-text")
    secret = "sk-never-shown-ABCDEFGHIJ0123"
    body = {**openai_body(name), "configuration": {"api_key": secret, "model": "gpt-4"}}
    renamed = unique_name("secret-renamed")

    responses = [
        client.post("/models/", json=body),
        client.post("/models/", json=body),  # 409
        *_every_read(client, name),
        client.patch(f"/models/{name}", json={"summary": "x", "configuration": {"api_key": secret + "-2"}}),
        client.patch(f"/models/{name}", json={"name": renamed}),
        client.get("/models/", headers={"Origin": "http://localhost:5173"}),
        client.delete(f"/models/{renamed}"),
    ]

    assert [response.status_code for response in responses] == [201, 409, 200, 200, 200, 200, 200, 200, 200]
    for response in responses:
        assert secret not in response.text and secret[3:] not in response.text, response.text[:300]


@pytest.mark.parametrize("tenant, name", sorted(FIXTURE_SECRETS))
def test_fixture_secrets_are_masked(fresh_client, tenant, name):
    secret = FIXTURE_SECRETS[(tenant, name)]

    for response in _every_read(fresh_client, name, tenant):
        assert response.status_code == 200
        assert _shown_configuration(response, name)["api_key"] == secret[:3] + "..."
        assert secret not in response.text


def test_non_secret_configuration_is_returned_as_stored(fresh_client):
    shown = assert_json(get_model(fresh_client, "vllm-mixtral", "acme"), 200)["configuration"]

    assert shown == {"base_url": "http://gpu-box:8000/v1", "model": "mixtral-8x7b"}
    assert assert_json(get_model(fresh_client, "local-llama"), 200)["configuration"] == \
        {"base_url": "http://localhost:11434", "model": "llama3"}

"""docs/contract.md §9: a secret in ``configuration`` never comes back in full, in no answer.

By default it is left out, as the real server does; ``secrets="masked"`` (``--secrets masked``)
shows the documentation's ``sk-...``. Which values are secrets comes from the contract's
``x-secrets``: credential names at any depth (lists included), ``writeOnly`` properties, and
URLs carrying a password. 422 answers, which echo the request, hide them too.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import assert_422, assert_json, openai_body

FIXTURE_SECRETS = {  # fixtures/models.json: tenant, model, its api_key
    ("root", "gpt-4-assistant"): "sk-demo-0123456789abcdef",
    ("root", "claude-writer"): "sk-ant-demo-fedcba9876543210",
    ("acme", "gpt-4-assistant"): "sk-acme-00112233445566",
}
SECRET_VALUES = {
    "api_key": "sk-live-0123456789abcdef",
    "private_key": "-----BEGIN PRIVATE KEY-----MIIE",
    "credentials": "user:hunter2-credential",
    "authorization": "Bearer tok-abcdefghij012345",
    "aws_access_key_id": "AKIAABCDEFGHIJKLMNOP",
    "aws_secret_access_key": "wJalrXUtnFEMIK7MDENGbPxRfiCY",
    "proxy": "https://user:pa55w0rd-in-url@proxy.example/v1",
}
PLAIN = {"model": "gpt-4", "tokenizer": "cl100k_base", "max_tokens": 64}


def _every_read(http, name, tenant=None):
    """The answers that show the model: GET, list, and a PATCH (the PATCH changes only the tags)."""
    headers = {"X-Tenant-Name": tenant} if tenant else {}
    return [http.get(f"/models/{name}", headers=headers),
            http.get("/models/", headers=headers),
            http.patch(f"/models/{name}", json={"tags": "secret-check"}, headers=headers)]


def _shown_configuration(response, name):
    body = assert_json(response, response.status_code)
    if isinstance(body, list):
        (body,) = [item for item in body if item["name"] == name]
    return body["configuration"]


def _assert_no_secret_in(response, secrets):
    for secret in secrets:
        assert secret not in response.text and secret[3:] not in response.text, response.text[:400]


@pytest.fixture
def masked_client(start_server):
    with start_server(secrets="masked").client() as http:
        yield http


def _body_with_every_kind_of_secret(name):
    configuration = {**SECRET_VALUES, **PLAIN, "extra": [{"api_key": "sk-in-a-list-000111"}, "plain-item"],
                     "nested": {"client_secret": "cs-nested-999888777", "region": "eu"}}
    return {**openai_body(name), "configuration": configuration}


LIST_SECRETS = ["sk-in-a-list-000111", "cs-nested-999888777"]


def test_by_default_every_secret_is_left_out_and_plain_settings_are_kept(client, unique_name):
    name = unique_name("secret-omitted")

    created = client.post("/models/", json=_body_with_every_kind_of_secret(name))

    expected = {**PLAIN, "extra": [{}, "plain-item"], "nested": {"region": "eu"}}
    assert _shown_configuration(created, name) == expected
    for response in [created, *_every_read(client, name)]:
        assert response.status_code in (200, 201)
        assert _shown_configuration(response, name) == expected
        _assert_no_secret_in(response, [*SECRET_VALUES.values(), *LIST_SECRETS])


def test_masked_mode_shows_the_documentation_form(masked_client, unique_name):
    name = unique_name("secret-masked")

    created = masked_client.post("/models/", json=_body_with_every_kind_of_secret(name))

    expected = {**{key: value[:3] + "..." for key, value in SECRET_VALUES.items()}, **PLAIN,
                "extra": [{"api_key": "sk-..."}, "plain-item"], "nested": {"client_secret": "cs-...", "region": "eu"}}
    for response in [created, *_every_read(masked_client, name)]:
        assert _shown_configuration(response, name) == expected
        _assert_no_secret_in(response, [*SECRET_VALUES.values(), *LIST_SECRETS])


@pytest.mark.parametrize("tenant, name", sorted(FIXTURE_SECRETS))
def test_fixture_secrets_are_left_out_by_default_and_masked_on_request(fresh_client, masked_client, tenant, name):
    secret = FIXTURE_SECRETS[(tenant, name)]

    for response in _every_read(fresh_client, name, tenant):
        assert "api_key" not in _shown_configuration(response, name)
        assert secret not in response.text
    for response in _every_read(masked_client, name, tenant):
        assert _shown_configuration(response, name)["api_key"] == secret[:3] + "..."
        assert secret not in response.text


def test_a_write_only_property_is_a_secret_whatever_its_name(client, unique_name):
    """fixtures: every type's ``api_key`` is ``writeOnly``; here a type-declared secret under a plain name."""
    name = unique_name("secret-schema")
    body = {"name": name, "dtype": "ollama", "configuration": {"model": "m", "base_url": "http://u:pw-123456@h:1"}}

    created = assert_json(client.post("/models/", json=body), 201)

    assert created["configuration"] == {"model": "m"}


@pytest.mark.parametrize("mode", ["omitted", "masked"])
def test_422_answers_never_echo_a_secret(client, masked_client, unique_name, mode):
    http = client if mode == "omitted" else masked_client
    name = unique_name("secret-422")
    bad_type = {**_body_with_every_kind_of_secret(name), "summary": 5}  # 422 on summary: input is the value only
    missing = {key: value for key, value in _body_with_every_kind_of_secret(name).items() if key != "name"}
    wrong_config = {"name": name, "dtype": "anthropic",
                    "configuration": {**SECRET_VALUES, "api_key": 123, "max_tokens": "x"}}
    patch_without_field = {"configuration": dict(SECRET_VALUES)}

    answers = [http.post("/models/", json=bad_type), http.post("/models/", json=missing),
               http.post("/models/", json=wrong_config),
               http.patch("/models/gpt-4-assistant", json=patch_without_field)]
    action = http.post("/models/types/openai/actions/fetch_available_models",
                       json={"api_key": SECRET_VALUES["api_key"], "base_url": 5, "extra": 1})

    for response in answers:
        assert response.status_code == 422, response.text
        _assert_no_secret_in(response, [*SECRET_VALUES.values(), *LIST_SECRETS])
    assert action.status_code >= 400
    _assert_no_secret_in(action, [SECRET_VALUES["api_key"]])
    missing_entry = assert_422(answers[1])[0]
    assert missing_entry["loc"] == ["body", "name"]
    assert missing_entry["input"]["configuration"]["tokenizer"] == "cl100k_base"  # plain settings still shown
    wrong_key = [entry for entry in assert_422(answers[2]) if entry["loc"] == ["body", "configuration", "api_key"]]
    assert wrong_key and wrong_key[0]["input"] is None  # a secret that is not a string has no masked form


def test_secrets_in_422_inputs_are_masked_in_masked_mode(masked_client, unique_name):
    body = {"name": unique_name("secret-422-masked"), "configuration": {"api_key": SECRET_VALUES["api_key"]}}

    entries = assert_422(masked_client.post("/models/", json=body))

    assert entries[0]["loc"] == ["body", "dtype"]
    assert entries[0]["input"]["configuration"] == {"api_key": "sk-..."}
    assert json.dumps(entries).count(SECRET_VALUES["api_key"]) == 0

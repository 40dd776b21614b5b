"""docs/contract.md §5.4: the model types, from fixtures/, with the real `openai` schema."""

from __future__ import annotations

import pytest

from tests.helpers import (
    assert_detail,
    assert_json,
    snapshot,
)

TYPE_NAMES = {"openai", "anthropic", "ollama", "vllm"}


def test_list_of_model_types(client):
    types = assert_json(client.get("/models/types/"), 200)

    assert {model_type["name"] for model_type in types} == TYPE_NAMES
    for model_type in types:
        assert {"name", "config_schema"} <= set(model_type)
        assert model_type["config_schema"]["type"] == "object"


def test_openai_type_is_the_real_servers(client):
    openai = assert_json(client.get("/models/types/openai"), 200)

    schema = openai["config_schema"]
    assert schema["required"] == ["api_key"]
    assert set(schema["properties"]) == {"api_key", "model", "base_url", "system_prompt"}
    assert schema["properties"]["model"]["default"] == "gpt-3.5-turbo"
    assert schema["properties"]["base_url"]["default"] == "https://api.openai.com/v1"
    assert schema["properties"]["system_prompt"]["default"] == ""


@pytest.mark.parametrize("name", sorted(TYPE_NAMES))
def test_each_type_reads_as_listed(client, name):
    listed = {model_type["name"]: model_type for model_type in assert_json(client.get("/models/types/"), 200)}

    assert assert_json(client.get(f"/models/types/{name}"), 200) == listed[name]


def test_unknown_model_type_is_404(client):
    before = snapshot(client)

    assert_detail(client.get("/models/types/gpt"), 404, "Model type 'gpt' not found")
    assert snapshot(client) == before

"""Learning a model type: a valid configuration, recognisable secrets, configurations to reject."""

from __future__ import annotations

import jsonschema

from conformance.contract import Contract
from conformance.model_types import (
    choose_recipe,
    invalid_configurations,
    recipe_for,
    recipe_from_override,
)

SECRETS = Contract.load().secrets  # the contract's components.x-secrets

OPENAI_LIKE = {
    "type": "object",
    "properties": {
        "api_key": {"type": "string", "writeOnly": True},
        "model": {"type": "string", "default": "gpt-3.5-turbo"},
        "max_tokens": {"type": "integer", "minimum": 1},
    },
    "required": ["api_key", "max_tokens"],
}
LOCAL = {"type": "object", "properties": {"model": {"type": "string"}}, "required": ["model"]}


def test_synthesized_configuration_is_valid_and_holds_a_recognisable_secret() -> None:
    recipe = recipe_for("openai", OPENAI_LIKE, "ck-run", SECRETS)
    assert recipe is not None
    jsonschema.validate(recipe.configuration, OPENAI_LIKE)
    assert recipe.secrets["configuration.api_key"].startswith("sk-ck-run-")
    assert len(recipe.secrets["configuration.api_key"]) > 20


def test_secrets_are_hidden_in_lists_nested_objects_and_url_passwords_where_the_schema_allows() -> None:
    recipe = recipe_for("openai", OPENAI_LIKE, "ck", SECRETS)
    jsonschema.validate(recipe.configuration, OPENAI_LIKE)
    assert set(recipe.secrets) == {
        "configuration.api_key",
        "configuration.ck_extra[0].api_key",
        "configuration.ck_nested.client_secret",
        "configuration.ck_endpoint",
        "configuration.ck_endpoint (its password)",
    }
    password = recipe.secrets["configuration.ck_endpoint (its password)"]
    assert f":{password}@" in recipe.configuration["ck_endpoint"]
    assert recipe.configuration["ck_nested"]["tokenizer"] not in recipe.secrets.values()
    closed = {**OPENAI_LIKE, "additionalProperties": False}
    assert set(recipe_for("openai", closed, "ck", SECRETS).secrets) == {"configuration.api_key"}


def test_a_type_with_a_secret_is_preferred_and_unsatisfiable_types_are_skipped() -> None:
    impossible = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^[0-9]+$"}}, "required": ["x"]}
    types = [{"name": "aaa", "config_schema": impossible}, {"name": "local", "config_schema": LOCAL},
             {"name": "openai", "config_schema": OPENAI_LIKE}]
    assert choose_recipe(types, "ck", SECRETS).dtype == "openai"
    assert choose_recipe(types[:2], "ck", SECRETS).dtype == "local"
    assert choose_recipe(types[:1], "ck", SECRETS) is None


def test_the_contracts_secret_names_are_recognised_without_false_positives() -> None:
    named = ["api_key", "apiKey", "api-key", "secret", "client_secret", "password", "token", "access_token",
             "private_key", "credentials", "authorization", "aws_access_key_id", "aws_secret_access_key"]
    assert all(SECRETS.is_secret(name, "x") for name in named)
    assert not any(SECRETS.is_secret(name, "x") for name in ["max_tokens", "tokenizer", "model", "base_url"])
    assert SECRETS.is_secret("anything", "x", {"writeOnly": True})
    assert SECRETS.is_secret(None, "postgres://u:pw@db/x") and not SECRETS.is_secret(None, "https://u@db/x")


def test_invalid_configurations_all_break_the_schema_and_say_why() -> None:
    recipe = recipe_for("openai", OPENAI_LIKE, "ck", SECRETS)
    broken = invalid_configurations(recipe)
    reasons = [why for why, _ in broken]
    assert "required property 'api_key' missing" in reasons
    assert "property 'max_tokens' of the wrong type" in reasons
    validator = jsonschema.Draft7Validator(OPENAI_LIKE)
    assert all(not validator.is_valid(config) for _, config in broken)


def test_override_reads_secrets_by_the_contracts_definition() -> None:
    recipe = recipe_from_override("vllm", {"api_key": "k-123", "model": "m", "extra": [{"token": "t-1"}]}, {}, SECRETS)
    assert recipe.secrets == {"configuration.api_key": "k-123", "configuration.extra[0].token": "t-1"}
    assert recipe.configuration["model"] == "m"

"""Learning a model type: a valid configuration, recognisable secrets, configurations to reject."""

from __future__ import annotations

import jsonschema

from conformance.model_types import (
    choose_recipe,
    invalid_configurations,
    is_secret_property,
    recipe_for,
    recipe_from_override,
)

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
    recipe = recipe_for("openai", OPENAI_LIKE, "ck-run")
    assert recipe is not None
    jsonschema.validate(recipe.configuration, OPENAI_LIKE)
    assert set(recipe.secrets) == {"api_key"}
    assert recipe.secrets["api_key"].startswith("sk-ck-run-") and len(recipe.secrets["api_key"]) > 20


def test_a_type_with_a_secret_is_preferred_and_unsatisfiable_types_are_skipped() -> None:
    impossible = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^[0-9]+$"}}, "required": ["x"]}
    types = [{"name": "aaa", "config_schema": impossible}, {"name": "local", "config_schema": LOCAL},
             {"name": "openai", "config_schema": OPENAI_LIKE}]
    assert choose_recipe(types, "ck").dtype == "openai"
    assert choose_recipe(types[:2], "ck").dtype == "local"
    assert choose_recipe(types[:1], "ck") is None


def test_secret_names_are_recognised_without_false_positives() -> None:
    assert all(is_secret_property(name, {}) for name in ["api_key", "apiKey", "client_secret", "password", "access_token"])
    assert not any(is_secret_property(name, {}) for name in ["max_tokens", "tokenizer", "model", "base_url"])
    assert is_secret_property("anything", {"writeOnly": True})


def test_invalid_configurations_all_break_the_schema_and_say_why() -> None:
    recipe = recipe_for("openai", OPENAI_LIKE, "ck")
    broken = invalid_configurations(recipe)
    reasons = [why for why, _ in broken]
    assert "required property 'api_key' missing" in reasons
    assert "property 'max_tokens' of the wrong type" in reasons
    validator = jsonschema.Draft7Validator(OPENAI_LIKE)
    assert all(not validator.is_valid(config) for _, config in broken)


def test_override_reads_secrets_from_the_schema_or_the_names() -> None:
    recipe = recipe_from_override("vllm", {"api_key": "k-123", "model": "m"}, {})
    assert recipe.secrets == {"api_key": "k-123"}
    assert recipe.configuration == {"api_key": "k-123", "model": "m"}

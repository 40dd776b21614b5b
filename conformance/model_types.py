"""What the kit creates models with, learned from `GET /models/types/` (never from fixtures).

It picks a type whose `config_schema` it can satisfy, builds a minimal valid configuration
(required properties, plus secret ones so the secrets rule has something to look for), and
gives secrets a recognisable value that must never come back in full. Which values are secrets
is the contract's definition (`SecretDefinition`); where the type's schema allows it, the
configuration also carries secrets where they are easy to miss: inside a list, inside a nested
object, and as the password of a URL.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import jsonschema

from conformance.secret_definition import SecretDefinition


@dataclass(frozen=True)
class ModelRecipe:
    """A dtype, a configuration valid for it, and its secrets (where each is → its value)."""

    dtype: str
    config_schema: dict[str, Any]
    configuration: dict[str, Any]
    secrets: dict[str, str]


def _secret_value(label: str) -> str:
    return f"sk-{label}-{secrets.token_hex(12)}"


def hidden_secrets(label: str) -> dict[str, Any]:
    """Extra members holding secrets in the places a masking routine most easily misses."""
    return {
        "ck_extra": [{"api_key": _secret_value(label)}],
        "ck_nested": {"client_secret": _secret_value(label), "tokenizer": f"{label}-plain"},
        "ck_endpoint": f"https://ck:{_secret_value(label)}@example.invalid/v1",
    }


def _value_for(schema: Any, label: str) -> Any:
    """A value satisfying a simple JSON Schema, or `None` when unsure."""
    if not isinstance(schema, dict):
        return label
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "string":
        text = label
        return text + "x" * max(0, int(schema.get("minLength", 0)) - len(text))
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return int(low) + 1 if kind == "integer" else float(low) + 1.0
    if kind == "boolean":
        return True
    if kind == "array":
        return [_value_for(schema.get("items", {}), label) for _ in range(int(schema.get("minItems", 0)))]
    if kind == "object":
        return _object_for(schema, label)[0]
    return None


def _object_for(schema: dict[str, Any], label: str, definition: SecretDefinition) -> dict[str, Any]:
    """Required properties and secret ones (those of a string type get a secret value)."""
    properties = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}

    def secret(name: str) -> bool:
        return definition.is_secret(name, None, properties.get(name, {}))

    wanted = list(schema.get("required", []))
    wanted += [name for name in properties if secret(name) and name not in wanted]
    value: dict[str, Any] = {}
    for name in wanted:
        sub = properties.get(name, {})
        if secret(name) and (not isinstance(sub, dict) or sub.get("type", "string") == "string"):
            value[name] = _secret_value(label)
        else:
            value[name] = _value_for(sub, f"{label}-{name}")
    return value


def _recipe(dtype: str, schema: dict[str, Any], configuration: dict[str, Any], definition: SecretDefinition) -> ModelRecipe:
    found = dict(definition.secrets_in(configuration, schema))
    return ModelRecipe(dtype, schema, configuration, found)


def recipe_for(dtype: str, config_schema: dict[str, Any], label: str, definition: SecretDefinition) -> ModelRecipe | None:
    """A recipe for this type, or `None` when the synthesized configuration is not valid."""
    configuration = _object_for(config_schema, label, definition)
    if not valid_configuration(configuration, config_schema):
        return None
    for key, hidden in hidden_secrets(label).items():
        if key not in configuration and valid_configuration({**configuration, key: hidden}, config_schema):
            configuration[key] = hidden
    return _recipe(dtype, config_schema, configuration, definition)


def recipe_from_override(
    dtype: str, configuration: dict[str, Any], config_schema: dict[str, Any], definition: SecretDefinition
) -> ModelRecipe:
    """The recipe the user gave with --dtype/--configuration; its secrets found by the definition."""
    return _recipe(dtype, config_schema, configuration, definition)


def choose_recipe(model_types: list[Any], label: str, definition: SecretDefinition) -> ModelRecipe | None:
    """The first type (by name) the kit can satisfy, preferring the one holding the most secrets."""
    recipes = []
    for item in sorted((t for t in model_types if isinstance(t, dict)), key=lambda t: str(t.get("name"))):
        schema = item.get("config_schema")
        if isinstance(item.get("name"), str) and isinstance(schema, dict):
            recipe = recipe_for(item["name"], schema, label, definition)
            if recipe is not None:
                recipes.append(recipe)
    # max() keeps the first of equals: the type declaring a secret of its own wins
    return max(recipes, key=lambda recipe: len(recipe.secrets), default=None)


def invalid_configurations(recipe: ModelRecipe) -> list[tuple[str, dict[str, Any]]]:
    """Configurations the type's schema must reject, each with what is wrong with it."""
    schema = recipe.config_schema
    candidates: list[tuple[str, dict[str, Any]]] = []
    for name in schema.get("required", []):
        broken = {k: v for k, v in recipe.configuration.items() if k != name}
        candidates.append((f"required property {name!r} missing", broken))
    wrong_values = {"string": 12345, "integer": "not-a-number", "number": "not-a-number",
                    "boolean": "not-a-boolean", "object": "not-an-object", "array": "not-an-array"}
    for name, sub in sorted(schema.get("properties", {}).items()):
        if isinstance(sub, dict) and sub.get("type") in wrong_values:
            broken = {**recipe.configuration, name: wrong_values[sub["type"]]}
            candidates.append((f"property {name!r} of the wrong type", broken))
    return [(why, config) for why, config in candidates if not valid_configuration(config, schema)]


def valid_configuration(instance: Any, schema: dict[str, Any]) -> bool:
    """Whether the configuration satisfies the type's config_schema (a broken schema: no)."""
    try:
        validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        return validator(schema).is_valid(instance)
    except jsonschema.SchemaError:
        return False

"""What the kit creates models with, learned from `GET /models/types/` (never from fixtures).

It picks a type whose `config_schema` it can satisfy, builds a minimal valid configuration
(required properties, plus secret-looking ones so the secrets rule has something to look for),
and gives secrets a recognisable value that must never come back in full.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import jsonschema

SECRET_NAME = re.compile(
    r"(^|[_-])(api[_-]?key|secret|token|passw(or)?d|credentials?)($|[_-])", re.IGNORECASE
)


@dataclass(frozen=True)
class ModelRecipe:
    """A dtype, a configuration valid for it, and which of its values are secrets."""

    dtype: str
    config_schema: dict[str, Any]
    configuration: dict[str, Any]
    secrets: dict[str, str]


def is_secret_property(name: str, schema: Any) -> bool:
    return (isinstance(schema, dict) and schema.get("writeOnly") is True) or bool(SECRET_NAME.search(name))


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


def _object_for(schema: dict[str, Any], label: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Required properties and secret-looking ones, with their secret values."""
    properties = schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {}
    wanted = list(schema.get("required", []))
    wanted += [name for name, sub in properties.items() if is_secret_property(name, sub) and name not in wanted]
    value: dict[str, Any] = {}
    found: dict[str, str] = {}
    for name in wanted:
        sub = properties.get(name, {})
        if is_secret_property(name, sub) and (not isinstance(sub, dict) or sub.get("type", "string") == "string"):
            found[name] = value[name] = f"sk-{label}-{secrets.token_hex(12)}"
        else:
            value[name] = _value_for(sub, f"{label}-{name}")
    return value, found


def recipe_for(dtype: str, config_schema: dict[str, Any], label: str) -> ModelRecipe | None:
    """A recipe for this type, or `None` when the synthesized configuration is not valid."""
    configuration, found = _object_for(config_schema, label)
    if not _valid(configuration, config_schema):
        return None
    return ModelRecipe(dtype, config_schema, configuration, found)


def recipe_from_override(dtype: str, configuration: dict[str, Any], config_schema: dict[str, Any]) -> ModelRecipe:
    """The recipe the user gave with --dtype/--configuration; secrets read from the schema or names."""
    properties = config_schema.get("properties", {}) if isinstance(config_schema, dict) else {}
    found = {
        name: value
        for name, value in configuration.items()
        if isinstance(value, str) and is_secret_property(name, properties.get(name))
    }
    return ModelRecipe(dtype, config_schema, configuration, found)


def choose_recipe(model_types: list[Any], label: str) -> ModelRecipe | None:
    """The first type (by name) the kit can satisfy, preferring one that holds a secret."""
    recipes = []
    for item in sorted((t for t in model_types if isinstance(t, dict)), key=lambda t: str(t.get("name"))):
        schema = item.get("config_schema")
        if isinstance(item.get("name"), str) and isinstance(schema, dict):
            recipe = recipe_for(item["name"], schema, label)
            if recipe is not None:
                recipes.append(recipe)
    with_secret = [recipe for recipe in recipes if recipe.secrets]
    return (with_secret or recipes or [None])[0]


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
    return [(why, config) for why, config in candidates if not _valid(config, schema)]


def _valid(instance: Any, schema: dict[str, Any]) -> bool:
    try:
        validator = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        return validator(schema).is_valid(instance)
    except jsonschema.SchemaError:
        return False

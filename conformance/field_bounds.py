"""What the contract says about the model schemas' fields: which there are, which PATCH may not
change, their length bounds and the defaults a create fills in (docs/contract.md §5–§7, §12).
Read from the contract, never restated."""

from __future__ import annotations

import copy
from typing import Any

BOUNDED_SCHEMAS = ("ModelCreate", "ModelUpdate")


def _resolved(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token]
        node = target
    return node


def _properties(document: dict[str, Any], schema_name: str) -> dict[str, Any]:
    schema = document["components"]["schemas"][schema_name]
    return {field: _resolved(document, sub) for field, sub in schema.get("properties", {}).items()}


def fields(document: dict[str, Any], schema_name: str) -> tuple[str, ...]:
    """The fields a schema declares, in the contract's order (`ModelUpdate`: what PATCH may change)."""
    return tuple(document["components"]["schemas"][schema_name].get("properties", {}))


def immutable_fields(document: dict[str, Any]) -> tuple[str, ...]:
    """Fields of a model that no PATCH changes: those of `ModelDetail` that `ModelUpdate` lacks,
    less `updated_at`, which every successful PATCH moves (docs/contract.md §7.4)."""
    updatable = set(fields(document, "ModelUpdate")) | {"updated_at"}
    return tuple(field for field in fields(document, "ModelDetail") if field not in updatable)


def max_lengths(document: dict[str, Any], schema_name: str) -> dict[str, int]:
    """`maxLength` (in code points) of each string field of a request schema that has one."""
    return {
        field: int(sub["maxLength"])
        for field, sub in _properties(document, schema_name).items()
        if isinstance(sub, dict) and isinstance(sub.get("maxLength"), int)
    }


def defaults(document: dict[str, Any], schema_name: str) -> dict[str, Any]:
    """The documented default of each field of a request schema that has one."""
    return {
        field: sub["default"]
        for field, sub in _properties(document, schema_name).items()
        if isinstance(sub, dict) and "default" in sub
    }


def without_max_lengths(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the contract without the bounds of the request schemas' strings.

    The Schemathesis phase works from this copy: the `length_limits` rule alone judges the
    bounds, so a deployment without them fails that rule and no other (over-long strings are
    negative data Schemathesis would otherwise send and expect refused).
    """
    document = copy.deepcopy(document)
    for schema_name in BOUNDED_SCHEMAS:
        for sub in _properties(document, schema_name).values():
            if isinstance(sub, dict):
                sub.pop("maxLength", None)
    return document

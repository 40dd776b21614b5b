"""A compiled yes-or-no check of a request body, so that a valid body, the common case, costs
no walk of jsonschema's validators (60–120 µs of a PATCH's CPU, measured).

Only a "yes" is trusted. On a "no" the body goes to jsonschema, which names every error as the
real server does, and has the last word: a check stricter than jsonschema only costs time. The
compiled check must therefore never accept what jsonschema refuses; the schema it is compiled
from is the operation's, with OpenAPI 3.0's ``nullable`` spelled as JSON Schema does (null added
to ``type`` and ``enum``, as Connexion's request validator reads it). A schema fastjsonschema
cannot compile (a format it does not know, a schema that refers to itself) gets no check:
jsonschema alone judges it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastjsonschema

DRAFT4 = "http://json-schema.org/draft-04/schema#"


def compile_check(schema: dict) -> Callable[[Any], bool] | None:
    """True for a body that `schema` accepts for sure; None when no check could be built."""
    try:
        validate = fastjsonschema.compile({**_as_json_schema(schema, frozenset()), "$schema": DRAFT4},
                                          use_default=False, use_formats=True)
    except (fastjsonschema.JsonSchemaDefinitionException, ValueError, TypeError):
        return None

    def accepts(body: Any) -> bool:
        try:
            validate(body)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return accepts


def _as_json_schema(node: Any, above: frozenset[int]) -> Any:
    """A copy of `node` with every ``nullable: true`` written as JSON Schema's null type and enum
    value. A schema that contains itself (a recursive ``$ref``, resolved) is a `ValueError`:
    fastjsonschema compiles no cycle."""
    if id(node) in above:
        raise ValueError("a recursive schema")
    if isinstance(node, list):
        return [_as_json_schema(item, above | {id(node)}) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value, above | {id(node)}) for key, value in node.items()}
    nullable, x_nullable = node.pop("nullable", None), node.pop("x-nullable", None)
    if x_nullable is True or nullable:  # as Connexion reads them
        kinds = node.get("type")
        if isinstance(kinds, str):
            node["type"] = [kinds, "null"]
        elif isinstance(kinds, list) and "null" not in kinds:
            node["type"] = [*kinds, "null"]
        if "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    return node

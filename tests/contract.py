"""The contract (``openapi.yaml``) as the tests read it: the field lists and messages they need.

The tests load the contract themselves, as the mock and the kit each do, so a field added to
a schema reaches every test that lists fields without a second copy of the list.
"""

from __future__ import annotations

import yaml

from tests.live import ROOT

CONTRACT: dict = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    """``components.schemas[name]``."""
    return CONTRACT["components"]["schemas"][name]


def resolve(node: dict) -> dict:
    """``node`` with every ``$ref`` followed (local references only)."""
    while "$ref" in node:
        target = CONTRACT
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


MODEL_FIELDS = frozenset(schema("ModelDetail")["properties"])
LIST_ITEM_FIELDS = frozenset(schema("ModelListItem")["properties"])
UPDATABLE_FIELDS = tuple(schema("ModelUpdate")["properties"])
# The updatable fields a PATCH may set to "" (the name may not be empty).
CLEARABLE_FIELDS = tuple(
    field for field, rules in schema("ModelUpdate")["properties"].items() if not rules.get("minLength")
)
# The message of the 422 entry of a PATCH without any updatable field.
AT_LEAST_ONE_FIELD = schema("ModelUpdate")["x-any-of-message"]

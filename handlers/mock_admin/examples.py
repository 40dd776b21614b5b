"""What the contract documents per operation: its statuses and their example bodies.

Both ``Prefer`` and the scenario rules answer "the contract's example" for a status; this is the
one place that finds it: the named example asked for, else the response's ``example``, else its
first named example, else a value built from the schema (required members only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_FORMAT_SAMPLES = {"uuid": "00000000-0000-4000-8000-000000000000", "date-time": "2024-01-01T00:00:00Z"}


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    responses: dict[str, dict]

    def label(self) -> str:
        return f"{self.method} {self.path}"


class ContractExamples:
    """The operations of one OpenAPI document, by operationId."""

    def __init__(self, contract: dict) -> None:
        self.contract = contract
        self.operations: dict[str, Operation] = {}
        for path, item in contract.get("paths", {}).items():
            for method in _METHODS:
                if method in item and "operationId" in item[method]:
                    responses = {status: self.resolve(response) for status, response in item[method]["responses"].items()}
                    operation = Operation(item[method]["operationId"], method.upper(), path, responses)
                    self.operations[operation.operation_id] = operation

    def resolve(self, node: Any) -> Any:
        """``node`` with a local ``$ref`` followed (repeatedly)."""
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.contract
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def documented(self, operation_id: str) -> list[str]:
        return sorted(self.operations[operation_id].responses)

    def example_names(self, operation_id: str) -> dict[str, str]:
        """Every named example of the operation's answers, and its status."""
        names = {}
        for status, response in self.operations[operation_id].responses.items():
            for name in self._media(response).get("examples", {}):
                names.setdefault(name, status)
        return names

    def body(self, operation_id: str, status: str, name: str | None = None) -> Any:
        """The example body of ``status``; ``KeyError`` when ``name`` is not one of its examples."""
        media = self._media(self.operations[operation_id].responses[status])
        examples = media.get("examples", {})
        if name is not None:
            return self.resolve(examples[name]).get("value")
        if "example" in media:
            return media["example"]
        if examples:
            return self.resolve(next(iter(examples.values()))).get("value")
        return self.sample(media.get("schema", {}))

    def _media(self, response: dict) -> dict:
        return self.resolve(response.get("content", {}).get("application/json", {}))

    def sample(self, schema: Any, depth: int = 0) -> Any:
        """A value valid under ``schema`` for the common cases, built from its examples and types."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 8:
            return None
        for key in ("example", "default"):
            if key in schema:
                return schema[key]
        if schema.get("enum"):
            return schema["enum"][0]
        for key in ("allOf", "anyOf", "oneOf"):
            if schema.get(key):
                return self.sample(schema[key][0], depth + 1)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            required = schema.get("required", [])
            return {key: self.sample(value, depth + 1) for key, value in schema.get("properties", {}).items() if key in required}
        if kind == "array":
            return [self.sample(schema.get("items", {}), depth + 1) for _ in range(schema.get("minItems", 0))]
        if kind == "string":
            return _FORMAT_SAMPLES.get(schema.get("format"), "string")
        return {"integer": 0, "number": 0, "boolean": True}.get(kind)

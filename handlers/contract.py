"""The contract, ``openapi.yaml``, read once: the mock takes its facts from it, not from copies.

Field lists come from the model schemas, tenant scoping from the operations' parameters, the
secret definition from ``components.x-secrets``. Free of any web framework.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

CONTRACT_PATH = Path(__file__).resolve().parent / "bundled" / "openapi.yaml"  # a link in the source tree
TENANT_HEADER = "X-Tenant-Name"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def read_yaml(path: Path) -> Any:
    """A YAML file parsed with libyaml's safe loader when PyYAML has it (a tenth of the pure-Python one's time)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def document() -> dict[str, Any]:
    """The parsed contract; callers must not change it."""
    return read_yaml(CONTRACT_PATH)


def component(kind: str, name: str) -> Any:
    """``components.<kind>.<name>``, e.g. ``component("schemas", "ModelUpdate")``."""
    return document()["components"][kind][name]


def resolved(node: Any) -> Any:
    """``node``, or what its local ``$ref`` (``#/components/...``) points at."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def fields(schema_name: str) -> tuple[str, ...]:
    """The properties of a schema, in the contract's order (``ModelUpdate``: the updatable fields)."""
    return tuple(component("schemas", schema_name)["properties"])


def defaults(schema_name: str) -> dict[str, Any]:
    """The default of each property of a schema that declares one (``ModelCreate``: summary, tags)."""
    properties = component("schemas", schema_name)["properties"]
    return {field: resolved(spec)["default"] for field, spec in properties.items() if "default" in resolved(spec)}


@functools.cache
def tenant_scoped_operations() -> frozenset[str]:
    """The operationIds of the operations that declare the ``X-Tenant-Name`` header: they act in a tenant."""
    scoped = set()
    for item in document()["paths"].values():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method in _HTTP_METHODS:
                parameters = [resolved(parameter) for parameter in shared + operation.get("parameters", [])]
                if any(p.get("in") == "header" and p.get("name", "").lower() == TENANT_HEADER.lower()
                       for p in parameters):
                    scoped.add(operation["operationId"])
    return frozenset(scoped)

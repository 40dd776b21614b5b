"""Secrets in a model's configuration never leave the server in full (contract-notes §9)."""

from __future__ import annotations

import re
from typing import Any

_SECRET_NAME = re.compile(r"(api[_-]?key|secret|token|password)", re.IGNORECASE)


def is_secret(key: str, schema: dict | None) -> bool:
    """A property the type's schema marks ``writeOnly``, or one named like a credential."""
    declared = ((schema or {}).get("properties") or {}).get(key) or {}
    return bool(declared.get("writeOnly")) or bool(_SECRET_NAME.search(key))


def mask(value: str) -> str:
    """The first three characters then ``...`` as the documentation shows (fewer for short values)."""
    return value[: min(3, len(value) // 2)] + "..."


def masked_configuration(configuration: dict, schema: dict | None) -> dict[str, Any]:
    """A copy of ``configuration`` with every secret string masked, nested objects included."""
    shown: dict[str, Any] = {}
    for key, value in configuration.items():
        if isinstance(value, dict):
            nested = ((schema or {}).get("properties") or {}).get(key)
            shown[key] = masked_configuration(value, nested)
        elif isinstance(value, str) and is_secret(key, schema):
            shown[key] = mask(value)
        else:
            shown[key] = value
    return shown

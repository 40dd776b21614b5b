"""How a stored configuration may differ from the one sent: only where a secret was hidden.

A secret (by the contract's definition) may come back omitted or masked, never otherwise
changed (whether it comes back in full is the `secrets` rule's question). Everything else must
come back exactly: no member dropped, added or changed, at any depth. A secret inside a list may
be masked in place or left out of the list.
"""

from __future__ import annotations

from typing import Any

from conformance.secret_definition import SecretDefinition

_MISSING = "<missing>"


def _properties(schema: Any) -> dict[str, Any]:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def configuration_changes(
    sent: Any, stored: Any, schema: Any, secrets: SecretDefinition, path: str = "configuration"
) -> list[str]:
    """`path: sent -> stored` for every difference that hiding secrets does not explain."""
    if isinstance(sent, dict) and isinstance(stored, dict):
        return _object_changes(sent, stored, schema, secrets, path)
    if isinstance(sent, list) and isinstance(stored, list):
        return _list_changes(sent, stored, schema, secrets, path)
    return [] if sent == stored else [f"{path}: {sent!r:.80} -> {stored!r:.80}"]


def _object_changes(sent: dict, stored: dict, schema: Any, secrets: SecretDefinition, path: str) -> list[str]:
    properties = _properties(schema)
    changes = [f"{path}.{key}: not sent -> {stored[key]!r:.80}" for key in stored if key not in sent]
    for key, value in sent.items():
        declared = properties.get(key)
        if secrets.is_secret(key, value, declared):
            continue
        if key not in stored:
            changes.append(f"{path}.{key}: {value!r:.80} -> {_MISSING}")
        else:
            changes += configuration_changes(value, stored[key], declared, secrets, f"{path}.{key}")
    return changes


def _list_changes(sent: list, stored: list, schema: Any, secrets: SecretDefinition, path: str) -> list[str]:
    items = schema.get("items") if isinstance(schema, dict) else None
    secret = [secrets.is_secret(None, item, items) for item in sent]
    if len(stored) == len(sent):  # secrets masked in place
        pairs = [(index, item, stored[index]) for index, item in enumerate(sent) if not secret[index]]
    elif len(stored) == secret.count(False):  # secrets left out
        pairs = list(zip((i for i, s in enumerate(secret) if not s), stored, strict=True))
        pairs = [(index, sent[index], shown) for index, shown in pairs]
    else:
        return [f"{path}: {len(sent)} items sent -> {len(stored)} stored"]
    changes: list[str] = []
    for index, item, shown in pairs:
        changes += configuration_changes(item, shown, items, secrets, f"{path}[{index}]")
    return changes

"""Secrets in a model's configuration never leave the server in full (docs/contract.md §9).

Which values are secrets is defined once, in the contract's ``components.x-secrets``: a name
pattern, ``writeOnly`` properties of the type's ``config_schema``, and URLs carrying a password.
A secret is omitted from what the mock shows, or masked as its first three characters then
``...`` (the documentation's form); a secret that is not a string has no masked form and is
omitted in both modes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from handlers import contract

OMITTED = "omitted"
MASKED = "masked"
MODES = (OMITTED, MASKED)


def mask(value: str) -> str:
    """The first three characters then ``...`` as the documentation shows (fewer for short values)."""
    return value[: min(3, len(value) // 2)] + "..."


def _properties(schema: Any) -> dict:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def _items(schema: Any) -> Any:
    return schema.get("items") if isinstance(schema, dict) else None


def _has_url_password(value: str) -> bool:
    if "://" not in value or "@" not in value:
        return False
    try:
        return bool(urlsplit(value).password)
    except ValueError:  # not a URL after all (an unclosed IPv6 bracket, say)
        return False


@dataclass(frozen=True)
class SecretRules:
    """The contract's definition of a secret, and how this mock hides one (``mode``)."""

    name_pattern: re.Pattern[str]
    write_only_properties: bool
    url_userinfo_password: bool
    mode: str = OMITTED

    @classmethod
    def from_contract(cls, mode: str = OMITTED) -> SecretRules:
        if mode not in MODES:
            raise ValueError(f"secrets mode must be one of {', '.join(MODES)}, not {mode!r}")
        definition = contract.document()["components"]["x-secrets"]
        return cls(
            name_pattern=re.compile(definition["name-pattern"], re.IGNORECASE),
            write_only_properties=definition["write-only-properties"] is True,
            url_userinfo_password=definition["url-userinfo-password"] is True,
            mode=mode,
        )

    def is_secret(self, key: str | None, value: Any, declared: Any = None) -> bool:
        """Whether ``value``, held under ``key`` (None in a list) and declared by ``declared``, is a secret."""
        if key is not None and self.name_pattern.search(key):
            return True
        if self.write_only_properties and isinstance(declared, dict) and declared.get("writeOnly") is True:
            return True
        return self.url_userinfo_password and isinstance(value, str) and _has_url_password(value)

    def shown(self, value: Any, schema: Any = None) -> Any:
        """A copy of a configuration (or any part of one, ``schema`` its declaration) with every secret hidden."""
        if isinstance(value, dict):
            properties = _properties(schema)
            return dict(self._shown_members((key, item, properties.get(key)) for key, item in value.items()))
        if isinstance(value, list):
            declared = _items(schema)
            return [item for _, item in self._shown_members((None, item, declared) for item in value)]
        return value

    def shown_at(self, path: list, value: Any, schema: Any = None) -> Any:
        """``value``, found at ``path`` in a request body ``schema`` declares, with its secrets hidden.

        When a key on the path is a secret, ``value`` is (part of) that secret: masked when it is a
        string in masked mode, else None. This is how a 422 entry's ``input`` is shown.
        """
        declared = schema
        for key in path:
            declared = _items(declared) if isinstance(key, int) else _properties(declared).get(key)
            if isinstance(key, str) and self.is_secret(key, None, declared):
                return self._replacement(value)
        if self.is_secret(None, value, declared):
            return self._replacement(value)
        return self.shown(value, declared)

    def _replacement(self, secret: Any) -> str | None:
        return mask(secret) if self.mode == MASKED and isinstance(secret, str) else None

    def _shown_members(self, members: Iterable[tuple[Any, Any, Any]]) -> Iterator[tuple[Any, Any]]:
        for key, item, declared in members:
            if not self.is_secret(key, item, declared):
                yield key, self.shown(item, declared)
            elif self.mode == MASKED and isinstance(item, str):
                yield key, mask(item)
